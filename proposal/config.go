package proposal

import "strconv"

// Config holds the settings staff may change. Start from DefaultConfig.
type Config struct {
	// MinJointSponsors is how many deputies, the sponsor included, must
	// jointly put forward a 议案 (联名). Default 5: the Local Organic Law
	// (地方组织法) lets the presidium or five or more township deputies
	// jointly (代表五人以上联名) put a motion to the township congress, so
	// fewer than 5 is refused; a township may ask for more.
	MinJointSponsors int

	// KeyWorkdays and NormalWorkdays are the reply deadlines, in working
	// days from assignment (交办), of 重点督办 and 一般 proposals.
	//
	// 一般 = 60 working days: twelve working weeks, which with weekends and
	// the usual holidays is 85–95 calendar days — the three months
	// (自交办之日起三个月内答复) that the county and the Deputies Law give
	// for deputies' suggestions. A township's units are down the corridor
	// and its proposals are local, so there is no reason to give them longer
	// than the county gives its bureaus.
	//
	// 重点督办 = 30 working days, about six weeks: a key proposal is the one
	// the presidium coordinates itself across departments (跨部门复杂问题由
	// 主席团牵头协调, the work plan), which removes the handover delays that
	// the three months allow for. The deadline is for the reply, not for
	// finishing the works: a project that takes a year is answered on time
	// with a B reply (正在解决或列入计划). And 30 days of handling, 10 days
	// for the sponsor's rating and 20 days of 重新办理 add up to 60 working
	// days, one quarter: a key proposal is settled, even if sent back, before
	// the next quarterly presidium meeting looks at it again.
	KeyWorkdays    int
	NormalWorkdays int

	// RedoWorkdays is the new deadline when the sponsor is not satisfied and
	// the proposal goes back once for 重新办理. Default 20 working days, about
	// one calendar month, the period local handling rules usually give for a
	// second reply (一个月内重新答复): the unit already knows the matter.
	RedoWorkdays int

	// RatingWindowWorkdays is how long the sponsor has to rate a reply. When
	// it passes without a rating the proposal counts as 办结 (see
	// Concluded). Default 10 working days, two calendar weeks: long enough
	// for a deputy who is in the fields or away to read the reply, short
	// enough that the quarter's rates are settled when the presidium meets.
	RatingWindowWorkdays int

	// Categories are the values of the category (分类) field.
	Categories []string
}

// DefaultCategories are the shipped proposal categories, following the
// supervision priorities of the 2025 work plan.
var DefaultCategories = []string{
	"经济发展", "乡村振兴", "农业农村", "城乡建设", "交通水利", "教育文化",
	"医疗卫生", "社会保障", "生态环保", "安全生产", "社会治理", "其他",
}

// DefaultConfig returns the shipped settings.
func DefaultConfig() Config {
	return Config{
		MinJointSponsors:     5,
		KeyWorkdays:          30,
		NormalWorkdays:       60,
		RedoWorkdays:         20,
		RatingWindowWorkdays: 10,
		Categories:           append([]string(nil), DefaultCategories...),
	}
}

// Workdays returns the reply deadline in working days for grade g.
func (c Config) Workdays(g Grade) int {
	if g == GradeKey {
		return c.KeyWorkdays
	}
	return c.NormalWorkdays
}

// Limits on what deputies and units type.
const (
	TitleMax      = 100   // characters
	BodyMin       = 20    // characters: the problem, the reason and what to do
	BodyMax       = 20000 // characters
	ReplyMin      = 10    // characters
	ReplyMax      = 10000 // characters
	ReasonMax     = 1000  // characters: decisions, returns, extensions, rating comments
	MaxCoSponsors = 100   // invited co-sponsors on one proposal
)

// Validate checks the settings; field names are those of the settings record.
func (c Config) Validate() FieldErrors {
	errs := FieldErrors{}
	if c.MinJointSponsors < 5 || c.MinJointSponsors > 100 {
		errs["min_joint_sponsors"] = "议案联名人数须在 5 至 100 之间（地方组织法：代表五人以上联名可以提出议案）"
	}
	for field, n := range map[string]int{
		"key_workdays":           c.KeyWorkdays,
		"normal_workdays":        c.NormalWorkdays,
		"redo_workdays":          c.RedoWorkdays,
		"rating_window_workdays": c.RatingWindowWorkdays,
	} {
		if n < 1 || n > 250 {
			errs[field] = "工作日数须在 1 至 250 之间，当前为 " + strconv.Itoa(n)
		}
	}
	if c.KeyWorkdays > c.NormalWorkdays && errs["key_workdays"] == "" && errs["normal_workdays"] == "" {
		errs["key_workdays"] = "重点督办的办理期限不能长于一般建议"
	}
	seen := map[string]bool{}
	for _, cat := range c.Categories {
		if cat == "" || seen[cat] {
			errs["categories"] = "分类不能为空或重复"
			break
		}
		seen[cat] = true
	}
	if len(c.Categories) == 0 {
		errs["categories"] = "至少需要一个分类"
	}
	return errs.orNil()
}

func (c Config) hasCategory(cat string) bool {
	for _, v := range c.Categories {
		if v == cat {
			return true
		}
	}
	return false
}
