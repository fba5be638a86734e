package proposal

import "strconv"

// next lists the moves between stored statuses; Draft moves to Inviting or
// Submitted. A status may always stay as it is.
var next = map[Status][]Status{
	Draft:      {Inviting, Submitted},
	Inviting:   {Submitted, Withdrawn},
	Submitted:  {Registered, Rejected, Withdrawn, Merged},
	Registered: {Assigned, Merged},
	Assigned:   {Answered, Registered}, // Registered: the unit gave it back (退回)
	Answered:   {Closed, Assigned},     // Assigned: 不满意, once (重新办理)
}

// CanMove reports whether a proposal may go from one status to another in
// one save. Staying put is always allowed.
func CanMove(from, to Status) bool {
	if from == to {
		return true
	}
	return contains(statusStrings(next[from]), string(to))
}

func statusStrings(ss []Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// CheckSave validates a proposal record about to be saved through any door
// (the action routes, the admin UI, an import): old is the stored record,
// nil for a new one. Apply's results always pass; a direct edit passes only
// if it is a move the lifecycle allows and leaves a complete state, so staff
// correcting a record in the admin UI cannot skip a step or lose a fact.
// Who may make the change is not its business: see Apply.
func CheckSave(old *Proposal, cur Proposal, cfg Config) FieldErrors {
	if !cur.Status.Valid() {
		return FieldErrors{"status": "状态无效"}
	}
	if old == nil {
		if cur.Status != Inviting && cur.Status != Submitted {
			return FieldErrors{"status": "新的议案建议只能是「征集附议」或「已提交待审查」，之后按 立案 → 交办 → 答复 → 评价 逐步办理"}
		}
		errs := invariants(cur)
		if cur.Category != "" && !cfg.hasCategory(cur.Category) {
			errs = add(errs, "category", "分类无效")
		}
		if cur.Status == Submitted && cur.Type == Motion && cur.JointSponsors() < cfg.MinJointSponsors {
			errs = add(errs, "co_sponsors", motionShort(cur, cfg))
		}
		return errs.orNil()
	}
	if old.Status.Final() && cur.Status != old.Status {
		return FieldErrors{"status": "已" + old.Status.Label() + "，不能再更改状态"}
	}
	if !CanMove(old.Status, cur.Status) {
		return FieldErrors{"status": skipMessage(old.Status, cur.Status)}
	}
	errs := invariants(cur)
	if cur.Category != old.Category && cur.Category != "" && !cfg.hasCategory(cur.Category) {
		errs = add(errs, "category", "分类无效")
	}
	if cur.Sponsor != old.Sponsor {
		errs = add(errs, "sponsor", "领衔代表不能更改")
	}
	if cur.Type != old.Type && !(old.Type == Motion && cur.Type == Suggestion && cur.Converted &&
		old.Status == Submitted && cur.Status == Registered) {
		errs = add(errs, "type", "类型只能在立案审查时由议案转为建议")
	}
	if old.Status != Submitted && cur.Status == Submitted && cur.Type == Motion && cur.JointSponsors() < cfg.MinJointSponsors {
		errs = add(errs, "co_sponsors", motionShort(cur, cfg))
	}
	if cur.Round < old.Round {
		errs = add(errs, "round", "办理轮次不能回退")
	}
	if old.Status == Answered && cur.Status == Assigned && (old.Round >= 2 || cur.Round != 2) {
		errs = add(errs, "status", "不满意只能退回重新办理一次")
	}
	return errs.orNil()
}

func motionShort(p Proposal, cfg Config) string {
	return "议案须由至少 " + strconv.Itoa(cfg.MinJointSponsors) + " 名代表联名提出，目前已确认 " + strconv.Itoa(p.JointSponsors()) + " 名（含领衔代表）"
}

func add(errs FieldErrors, field, msg string) FieldErrors {
	if errs == nil {
		errs = FieldErrors{}
	}
	if _, ok := errs[field]; !ok {
		errs[field] = msg
	}
	return errs
}

// invariants are what every stored proposal in its status must have.
func invariants(p Proposal) FieldErrors {
	errs := text(&p)
	if p.Sponsor == "" {
		errs["sponsor"] = "缺少领衔代表"
	}
	if p.Status == Draft {
		return errs.orNil()
	}
	if p.Status != Inviting && p.SubmittedAt.IsZero() {
		errs["submitted_at"] = "缺少提交时间"
	}
	if p.Grade != "" && !p.Grade.Valid() {
		errs["grade"] = "分级无效：请选择 重点督办 或 一般"
	}
	if p.Converted && (p.Type != Suggestion || blank(p.Decision)) {
		errs["decision"] = "转为建议须写明理由"
	}
	switch p.Status {
	case Rejected:
		if blank(p.Decision) {
			errs["decision"] = "不予立案须写明理由"
		}
	case Merged:
		if p.MainID == "" || p.MainID == p.ID {
			errs["main"] = "并案须指明主件（不能是自己）"
		}
	case Assigned, Answered, Closed:
		if p.MainUnit == "" {
			errs["main_unit"] = "缺少主办单位"
		}
		if !p.Grade.Valid() {
			errs["grade"] = "缺少分级"
		}
		if p.Category == "" {
			errs["category"] = "缺少分类"
		}
		if p.Deadline.IsZero() {
			errs["deadline"] = "缺少办理期限"
		}
		if p.Round < 1 || p.Round > 2 {
			errs["round"] = "办理轮次无效"
		}
		if contains(p.CoUnits, p.MainUnit) || hasDup(p.CoUnits) {
			errs["co_units"] = "协办单位不能重复，也不能是主办单位"
		}
	}
	if p.Status == Answered || p.Status == Closed {
		if !p.ReplyClass.Valid() {
			errs["reply_class"] = "缺少答复类别"
		}
		if runes(p.Reply) < ReplyMin {
			errs["reply"] = "缺少答复内容"
		}
		if p.AnsweredAt.IsZero() {
			errs["answered_at"] = "缺少答复时间"
		}
	}
	if p.Status == Closed {
		switch p.Closure {
		case ClosedRated:
			if !p.Rating.Valid() {
				errs["rating"] = "缺少评价"
			}
		case ClosedLapsed:
			if p.Rating != "" {
				errs["rating"] = "逾期未评价的不能有评价"
			}
		default:
			errs["closure"] = "缺少办结方式"
		}
		if p.Rating == Unsatisfied && p.Round < 2 {
			errs["rating"] = "首次答复不满意应退回重新办理，不能直接办结"
		}
	}
	return errs.orNil()
}

func hasDup(list []string) bool {
	seen := map[string]bool{}
	for _, s := range list {
		if seen[s] {
			return true
		}
		seen[s] = true
	}
	return false
}

func skipMessage(from, to Status) string {
	msg := "不能从「" + from.Label() + "」改为「" + to.Label() + "」"
	if want := next[from]; len(want) > 0 {
		msg += "，下一步只能是"
		for i, s := range want {
			if i > 0 {
				msg += "或"
			}
			msg += "「" + s.Label() + "」"
		}
	}
	return msg + "。流程：提交 → 立案 → 交办 → 答复 → 评价 → 办结"
}
