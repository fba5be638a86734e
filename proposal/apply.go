package proposal

import (
	"simeng/chinatime"
	"strconv"
	"time"

	"simeng/deadline"
	"simeng/workdays"
)

// ActionKind names a step.
type ActionKind string

// The steps, with who may take them.
const (
	ActInvite   ActionKind = "invite"   // sponsor: open a draft (or change the list) for 附议
	ActConfirm  ActionKind = "confirm"  // an invited deputy: 确认附议
	ActDecline  ActionKind = "decline"  // an invited deputy: 不附议 (also takes back a confirmation)
	ActSubmit   ActionKind = "submit"   // sponsor: 提交
	ActWithdraw ActionKind = "withdraw" // sponsor: 撤回, before the review
	ActRegister ActionKind = "register" // presidium or staff: 立案 / 转为建议 / 不予立案
	ActClassify ActionKind = "classify" // presidium or staff: 分类分级
	ActMerge    ActionKind = "merge"    // presidium or staff: 并案 into Action.Main
	ActAssign   ActionKind = "assign"   // presidium or staff: 交办 to units, deadline by grade
	ActExtend   ActionKind = "extend"   // presidium or staff: 延期, with a reason
	ActReturn   ActionKind = "return"   // main unit or staff: 退回 (not this unit's remit)
	ActAnswer   ActionKind = "answer"   // main unit, or staff typing in a paper reply: 答复
	ActRate     ActionKind = "rate"     // sponsor: 满意 / 基本满意 / 不满意
	ActLapse    ActionKind = "lapse"    // system: the rating window passed, 视为办结
)

// Label is the Chinese name of k.
func (k ActionKind) Label() string {
	switch k {
	case ActInvite:
		return "邀请附议"
	case ActConfirm:
		return "确认附议"
	case ActDecline:
		return "不附议"
	case ActSubmit:
		return "提交"
	case ActWithdraw:
		return "撤回"
	case ActRegister:
		return "立案审查"
	case ActClassify:
		return "分类分级"
	case ActMerge:
		return "并案"
	case ActAssign:
		return "交办"
	case ActExtend:
		return "延期"
	case ActReturn:
		return "退回"
	case ActAnswer:
		return "答复"
	case ActRate:
		return "评价"
	case ActLapse:
		return "逾期未评价视为办结"
	}
	return string(k)
}

// Action is one step and what it carries. Only the fields of its Kind are read.
type Action struct {
	Kind ActionKind

	CoSponsors []string  // invite: the deputies invited (the whole list)
	Outcome    Outcome   // register
	Reason     string    // register (convert, reject), extend, return
	Category   string    // register, classify
	Grade      Grade     // register, classify, assign
	Main       *Proposal // merge: the main proposal as stored
	MainUnit   string    // assign
	CoUnits    []string  // assign
	Deadline   time.Time // extend: the new deadline (its day counts to its end)
	ReplyClass ReplyClass
	Reply      string // answer
	Rating     Rating // rate
	Comment    string // rate: required for 不满意
}

// Apply takes one step: it returns the proposal after act by actor at now,
// or why the step is refused. p is the stored proposal, or for invite and
// submit from the phone a Draft whose Sponsor is the acting deputy (the
// integrator sets it from the auth record, never from the body).
//
// Deadlines are computed here on cal; the integrator never takes them from
// a request. Apply never changes its argument.
func Apply(p Proposal, act Action, by Actor, cfg Config, cal *workdays.Calendar, now time.Time) (Proposal, *Refusal) {
	if by.Role == RoleGuest || (by.Role != RoleStaff && by.Role != RoleSystem && by.ID == "") {
		return p, forbid("status", "请先登录")
	}
	if p.Status.Final() {
		return p, invalid("status", "该"+p.Type.Label()+"已"+p.Status.Label()+"，不能再"+act.Kind.Label())
	}
	next := clone(p)
	var r *Refusal
	switch act.Kind {
	case ActInvite:
		r = invite(&next, act, by, cfg)
	case ActConfirm, ActDecline:
		r = respond(&next, act, by)
	case ActSubmit:
		r = submit(&next, by, cfg, now)
	case ActWithdraw:
		r = withdraw(&next, by)
	case ActRegister:
		r = register(&next, act, by, cfg)
	case ActClassify:
		r = classify(&next, act, by, cfg)
	case ActMerge:
		r = merge(&next, act, by)
	case ActAssign:
		r = assign(&next, act, by, cfg, cal, now)
	case ActExtend:
		r = extend(&next, act, by)
	case ActReturn:
		r = giveBack(&next, act, by)
	case ActAnswer:
		r = answer(&next, act, by, now)
	case ActRate:
		r = rate(&next, act, by, cfg, cal, now)
	case ActLapse:
		r = lapse(&next, by, cfg, cal, now)
	default:
		r = invalid("action", "未知的操作")
	}
	if r != nil {
		return p, r
	}
	// Whatever a step does, the result must be a state CheckSave accepts.
	if errs := invariants(next); errs != nil {
		return p, invalids(errs)
	}
	return next, nil
}

func clone(p Proposal) Proposal {
	p.CoSponsors = append([]CoSponsor(nil), p.CoSponsors...)
	p.CoUnits = append([]string(nil), p.CoUnits...)
	return p
}

func needStatus(p *Proposal, k ActionKind, want ...Status) *Refusal {
	for _, s := range want {
		if p.Status == s {
			return nil
		}
	}
	return invalid("status", "「"+p.Status.Label()+"」状态不能"+k.Label())
}

// content checks what the deputy wrote, the category they chose included;
// it is checked on invite and again on submit.
func content(p *Proposal, cfg Config) FieldErrors {
	errs := text(p)
	if p.Category != "" && !cfg.hasCategory(p.Category) {
		errs["category"] = "分类无效"
	}
	return errs
}

// text checks the type, title and body, which every stored proposal keeps.
// The category is checked only where it is set: a category staff later
// retire must not lock the proposals that have it.
func text(p *Proposal) FieldErrors {
	errs := FieldErrors{}
	if !p.Type.Valid() {
		errs["type"] = "请选择议案或建议"
	}
	switch n := runes(p.Title); {
	case blank(p.Title):
		errs["title"] = "请填写标题"
	case n > TitleMax:
		errs["title"] = "标题不能超过 " + strconv.Itoa(TitleMax) + " 字"
	}
	switch n := runes(p.Body); {
	case n < BodyMin || blank(p.Body):
		errs["body"] = "内容过短：请写明问题、理由和具体建议（至少 " + strconv.Itoa(BodyMin) + " 字）"
	case n > BodyMax:
		errs["body"] = "内容不能超过 " + strconv.Itoa(BodyMax) + " 字"
	}
	return errs
}

func invite(p *Proposal, act Action, by Actor, cfg Config) *Refusal {
	if !by.deputy() || by.ID != p.Sponsor {
		return forbid("co_sponsors", "只有领衔代表可以邀请附议")
	}
	if r := needStatus(p, ActInvite, Draft, Inviting); r != nil {
		return r
	}
	errs := content(p, cfg)
	switch {
	case len(act.CoSponsors) == 0:
		errs["co_sponsors"] = "请至少邀请一名代表附议"
	case len(act.CoSponsors) > MaxCoSponsors:
		errs["co_sponsors"] = "邀请附议的代表不能超过 " + strconv.Itoa(MaxCoSponsors) + " 名"
	}
	seen := map[string]bool{}
	for _, d := range act.CoSponsors {
		switch {
		case d == "":
			errs["co_sponsors"] = "附议代表不能为空"
		case d == p.Sponsor:
			errs["co_sponsors"] = "领衔代表不需要邀请自己附议"
		case seen[d]:
			errs["co_sponsors"] = "同一名代表只能邀请一次"
		}
		seen[d] = true
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	var list []CoSponsor
	for _, d := range act.CoSponsors {
		c := CoSponsor{Deputy: d}
		if i, ok := p.invited(d); ok {
			c.Confirmed = p.CoSponsors[i].Confirmed
		}
		list = append(list, c)
	}
	p.CoSponsors = list
	p.Status = Inviting
	return nil
}

func respond(p *Proposal, act Action, by Actor) *Refusal {
	i, ok := p.invited(by.ID)
	if !by.deputy() || !ok {
		return forbid("co_sponsors", "只有被邀请的代表可以确认或谢绝附议")
	}
	if r := needStatus(p, act.Kind, Inviting); r != nil {
		return r
	}
	if act.Kind == ActConfirm {
		p.CoSponsors[i].Confirmed = true
		return nil
	}
	p.CoSponsors = append(p.CoSponsors[:i], p.CoSponsors[i+1:]...)
	return nil
}

func submit(p *Proposal, by Actor, cfg Config, now time.Time) *Refusal {
	if !by.deputy() || by.ID != p.Sponsor {
		return forbid("status", "只有领衔代表可以提交")
	}
	if r := needStatus(p, ActSubmit, Draft, Inviting); r != nil {
		return r
	}
	errs := content(p, cfg)
	if p.Type == Motion && p.JointSponsors() < cfg.MinJointSponsors {
		errs["co_sponsors"] = "议案须由至少 " + strconv.Itoa(cfg.MinJointSponsors) + " 名代表联名提出，目前已确认 " +
			strconv.Itoa(p.JointSponsors()) + " 名（含领衔代表）；可等待附议或改为建议提交"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	// Invitations nobody answered lapse: only confirmed co-sponsors stay.
	var kept []CoSponsor
	for _, c := range p.CoSponsors {
		if c.Confirmed {
			kept = append(kept, c)
		}
	}
	p.CoSponsors = kept
	p.SubmittedAt = now
	p.Status = Submitted
	return nil
}

func withdraw(p *Proposal, by Actor) *Refusal {
	if !by.deputy() || by.ID != p.Sponsor {
		return forbid("status", "只有领衔代表可以撤回")
	}
	if p.Status != Inviting && p.Status != Submitted {
		return invalid("status", "「"+p.Status.Label()+"」已进入办理程序，不能撤回")
	}
	p.Status = Withdrawn
	return nil
}

// manage checks that the actor is the presidium or staff, and that a
// presidium member does not review their own proposal.
func manage(p *Proposal, by Actor, field string, k ActionKind) *Refusal {
	if !by.manager() {
		return forbid(field, "只有主席团成员或工作人员可以"+k.Label())
	}
	if by.Role == RolePresidium && p.involves(by.ID) {
		return forbid(field, "不能"+k.Label()+"自己领衔或附议的"+p.Type.Label()+"，请由其他主席团成员或工作人员办理")
	}
	return nil
}

func register(p *Proposal, act Action, by Actor, cfg Config) *Refusal {
	if r := manage(p, by, "status", ActRegister); r != nil {
		return r
	}
	if r := needStatus(p, ActRegister, Submitted); r != nil {
		return r
	}
	errs := FieldErrors{}
	if act.Category != "" && !cfg.hasCategory(act.Category) {
		errs["category"] = "分类无效"
	}
	if act.Grade != "" && !act.Grade.Valid() {
		errs["grade"] = "分级无效：请选择 重点督办 或 一般"
	}
	reason := runes(act.Reason)
	switch act.Outcome {
	case OutcomeAccept:
	case OutcomeConvert:
		if p.Type != Motion {
			errs["outcome"] = "只有议案可以转为建议"
		}
		fallthrough
	case OutcomeReject:
		if blank(act.Reason) {
			errs["decision"] = act.Outcome.Label() + "须写明理由，领衔代表会看到"
		}
	default:
		errs["outcome"] = "请选择 立案、转为建议 或 不予立案"
	}
	if reason > ReasonMax {
		errs["decision"] = "理由不能超过 " + strconv.Itoa(ReasonMax) + " 字"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	if act.Category != "" {
		p.Category = act.Category
	}
	if act.Grade != "" {
		p.Grade = act.Grade
	}
	switch act.Outcome {
	case OutcomeAccept:
		p.Status = Registered
	case OutcomeConvert:
		p.Type = Suggestion
		p.Converted = true
		p.Decision = act.Reason
		p.Status = Registered
	case OutcomeReject:
		p.Decision = act.Reason
		p.Status = Rejected
	}
	return nil
}

func classify(p *Proposal, act Action, by Actor, cfg Config) *Refusal {
	if r := manage(p, by, "category", ActClassify); r != nil {
		return r
	}
	if r := needStatus(p, ActClassify, Submitted, Registered, Assigned); r != nil {
		return r
	}
	errs := FieldErrors{}
	switch {
	case act.Category == "" && act.Grade == "":
		errs["category"] = "请选择分类或分级"
	case act.Category != "" && !cfg.hasCategory(act.Category):
		errs["category"] = "分类无效"
	}
	switch {
	case act.Grade == "":
	case !act.Grade.Valid():
		errs["grade"] = "分级无效：请选择 重点督办 或 一般"
	case p.Status == Assigned && act.Grade != p.Grade:
		errs["grade"] = "已交办的" + p.Type.Label() + "不能再改分级；需要调整办理期限请用延期"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	if act.Category != "" {
		p.Category = act.Category
	}
	if act.Grade != "" {
		p.Grade = act.Grade
	}
	return nil
}

func merge(p *Proposal, act Action, by Actor) *Refusal {
	if r := manage(p, by, "main", ActMerge); r != nil {
		return r
	}
	if r := needStatus(p, ActMerge, Submitted, Registered); r != nil {
		return r
	}
	m := act.Main
	switch {
	case m == nil || m.ID == "":
		return invalid("main", "请选择并入的主件")
	case m.ID == p.ID:
		return invalid("main", "不能并入自己")
	case m.Status != Registered && m.Status != Assigned:
		return invalid("main", "主件须已立案且尚未答复（当前为「"+m.Status.Label()+"」）")
	}
	p.MainID = m.ID
	p.Status = Merged
	return nil
}

func assign(p *Proposal, act Action, by Actor, cfg Config, cal *workdays.Calendar, now time.Time) *Refusal {
	if r := manage(p, by, "main_unit", ActAssign); r != nil {
		return r
	}
	if r := needStatus(p, ActAssign, Registered); r != nil {
		return r
	}
	errs := FieldErrors{}
	grade := p.Grade
	if act.Grade != "" {
		grade = act.Grade
	}
	if !grade.Valid() {
		errs["grade"] = "交办前请先分级：重点督办 或 一般"
	}
	if p.Category == "" {
		errs["category"] = "交办前请先分类"
	}
	if act.MainUnit == "" {
		errs["main_unit"] = "请选择主办单位"
	}
	seen := map[string]bool{act.MainUnit: true}
	for _, u := range act.CoUnits {
		switch {
		case u == "":
			errs["co_units"] = "协办单位不能为空"
		case u == act.MainUnit:
			errs["co_units"] = "主办单位不能同时是协办单位"
		case seen[u]:
			errs["co_units"] = "协办单位不能重复"
		}
		seen[u] = true
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	p.Grade = grade
	p.MainUnit = act.MainUnit
	p.CoUnits = append([]string(nil), act.CoUnits...)
	p.AssignedAt = now
	days := cfg.Workdays(grade)
	if p.Round == 2 {
		days = cfg.RedoWorkdays
	}
	p.Deadline = deadline.Due(cal, now, days)
	if p.Round == 0 {
		p.Round = 1
	}
	p.Status = Assigned
	return nil
}

func extend(p *Proposal, act Action, by Actor) *Refusal {
	if r := manage(p, by, "deadline", ActExtend); r != nil {
		return r
	}
	if r := needStatus(p, ActExtend, Assigned); r != nil {
		return r
	}
	errs := FieldErrors{}
	newDue := deadline.EndOfDay(act.Deadline)
	if act.Deadline.IsZero() || !newDue.After(p.Deadline) {
		errs["deadline"] = "延期后的期限须晚于原期限（" + p.Deadline.In(cstLoc()).Format("2006-01-02") + "）"
	}
	if blank(act.Reason) || runes(act.Reason) > ReasonMax {
		errs["reason"] = "延期须写明理由（不超过 " + strconv.Itoa(ReasonMax) + " 字）"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	p.Deadline = newDue
	return nil
}

func giveBack(p *Proposal, act Action, by Actor) *Refusal {
	if !(by.Role == RoleUnit && by.ID == p.MainUnit) && by.Role != RoleStaff {
		return forbid("main_unit", "只有主办单位可以退回")
	}
	if r := needStatus(p, ActReturn, Assigned); r != nil {
		return r
	}
	if blank(act.Reason) || runes(act.Reason) > ReasonMax {
		return invalid("reason", "退回须写明理由，例如不属于本单位职责、建议改由哪个单位办理")
	}
	p.MainUnit = ""
	p.CoUnits = nil
	p.AssignedAt = time.Time{}
	p.Deadline = time.Time{}
	p.Status = Registered
	return nil
}

func answer(p *Proposal, act Action, by Actor, now time.Time) *Refusal {
	switch {
	case by.Role == RoleUnit && by.ID == p.MainUnit, by.Role == RoleStaff:
	case by.Role == RoleUnit && contains(p.CoUnits, by.ID):
		return forbid("reply", "协办单位请将意见送主办单位，由主办单位统一答复")
	default:
		return forbid("reply", "只有主办单位可以答复")
	}
	if r := needStatus(p, ActAnswer, Assigned); r != nil {
		return r
	}
	errs := FieldErrors{}
	if !act.ReplyClass.Valid() {
		errs["reply_class"] = "请选择答复类别：A 已解决或基本解决，B 正在解决或列入计划，C 因条件限制留作参考"
	}
	switch n := runes(act.Reply); {
	case n < ReplyMin || blank(act.Reply):
		errs["reply"] = "答复内容过短：请写明办理情况（至少 " + strconv.Itoa(ReplyMin) + " 字）"
	case n > ReplyMax:
		errs["reply"] = "答复不能超过 " + strconv.Itoa(ReplyMax) + " 字"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	p.ReplyClass = act.ReplyClass
	p.Reply = act.Reply
	p.AnsweredAt = now
	p.Status = Answered
	return nil
}

func rate(p *Proposal, act Action, by Actor, cfg Config, cal *workdays.Calendar, now time.Time) *Refusal {
	if !by.deputy() || by.ID != p.Sponsor {
		return forbid("rating", "只有领衔代表可以评价办理结果")
	}
	if r := needStatus(p, ActRate, Answered); r != nil {
		return r
	}
	errs := FieldErrors{}
	if !act.Rating.Valid() {
		errs["rating"] = "请选择 满意、基本满意 或 不满意"
	}
	if act.Rating == Unsatisfied && blank(act.Comment) {
		errs["rating_comment"] = "不满意时请写明理由，承办单位据此重新办理"
	}
	if runes(act.Comment) > ReasonMax {
		errs["rating_comment"] = "意见不能超过 " + strconv.Itoa(ReasonMax) + " 字"
	}
	if len(errs) > 0 {
		return invalids(errs)
	}
	if act.Rating == Unsatisfied && p.Round < 2 {
		// 重新办理, once: the same units, a new deadline, a new reply.
		p.Round = 2
		p.RedoReason = act.Comment
		p.ReplyClass, p.Reply, p.AnsweredAt = "", "", time.Time{}
		p.AssignedAt = now
		p.Deadline = deadline.Due(cal, now, cfg.RedoWorkdays)
		p.Status = Assigned
		return nil
	}
	p.Rating = act.Rating
	p.RatingComment = act.Comment
	p.ClosedAt = now
	p.Closure = ClosedRated
	p.Status = Closed
	return nil
}

func lapse(p *Proposal, by Actor, cfg Config, cal *workdays.Calendar, now time.Time) *Refusal {
	if by.Role != RoleSystem {
		return forbid("status", "逾期未评价由系统自动办结")
	}
	if r := needStatus(p, ActLapse, Answered); r != nil {
		return r
	}
	if due := RatingDue(*p, cfg, cal); !now.After(due) {
		return invalid("rating", "评价期限（"+due.Format("2006-01-02")+"）未到")
	}
	p.ClosedAt = now
	p.Closure = ClosedLapsed
	p.Status = Closed
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func cstLoc() *time.Location { return chinatime.Location() }
