package demo

// The demo's concerns, each one topic with what a deputy notes on a visit,
// the problem a household raises about it, what a resident writes about
// it and the answer it gets, so that a record's text always fits its topic.
type theme struct {
	topic   string // one of vocab.Topics
	note    string // the visit log
	problem string // a problem raised on the visit (急难愁盼); more in concerns
	letter  string // a resident's suggestion
	reply   string // the answer
	unit    string // the handling unit (承办单位) it goes to
}

var themes = []theme{
	{"道路交通", "听取对村道硬化和路灯安装的意见。", "组里的村道雨天泥泞，希望硬化。",
		"村口到学校那段路的路灯坏了三盏，晚上孩子放学很黑，请帮忙反映修一下。",
		"已联系镇村建设办更换路灯，本周内修好。", "镇村建设办"},
	{"饮水安全", "了解自来水供水和水质情况。", "自来水水压不足，高处几户经常停水。",
		"三组自来水这几天发黄，烧开了也有沉淀。",
		"已请水厂冲洗管网并抽检水质，检测合格。", "农业综合服务中心"},
	{"养老助残", "走访独居老人，询问身体状况和医保缴费情况。", "独居老人行动不便，希望安排定期探访。",
		"82岁的五保老人想了解高龄补贴怎么申请。",
		"已联系村民政协理员上门帮老人办理申请，本月起按月发放。", "镇卫生院"},
	{"农业生产", "了解春耕备耕和灌溉用水情况。", "灌溉渠堵塞，影响春耕用水。",
		"河边那段水渠塌了，春耕前不修好几十亩田放不进水。",
		"已安排农业综合服务中心组织清淤修复，春耕前完工。", "农业综合服务中心"},
	{"医疗卫生", "了解村卫生室看病拿药情况。", "村卫生室缺少常用药。",
		"村卫生室降压药经常断货，老人要跑到镇上去买。",
		"已与镇卫生院协调，每周补充一次常用药。", "镇卫生院"},
	{"安全生产", "查看房屋和用电安全，提醒雨季注意防范。", "老房子屋后山体有裂缝，担心雨季滑坡。",
		"集镇赶集日摊位私拉电线，担心触电。",
		"已请镇应急办现场查看并设置警示，安排专人巡查。", "镇应急办"},
	{"就业增收", "了解家庭务工收入，宣传就业技能培训政策。", "返乡青年想学养殖技术，不知道去哪里报名。",
		"想参加镇里的电商培训，不知道什么时候开班。",
		"镇里下月开班，已把报名方式发给您。", "农业综合服务中心"},
	{"生态环境", "宣传森林防火和垃圾分类。", "溪边有人倾倒建筑垃圾。",
		"有人在溪边倒建筑垃圾，下雨冲到河里。",
		"已请自然资源所和村委会清理，并设立禁止倾倒标牌。", "自然资源所"},
	{"教育", "了解孩子上学和校车接送情况。", "校车停靠点没有遮雨棚，孩子淋雨等车。",
		"希望村小学增加课后看护。",
		"已与学校协商，下学期起每周三、五开设课后看护。", "镇村建设办"},
}

// concern is a problem (急难愁盼) a household raises on a visit and the
// handling unit's answer to it.
type concern struct{ problem, answer string }

// concerns are the problems of each topic with the answers that fit them,
// so that a problem's reply answers that problem (the theme's reply
// answers its resident's letter).
var concerns = map[string][]concern{
	"道路交通": {
		{"组里的村道雨天泥泞，希望硬化。", "已列入今年村道硬化计划，镇村建设办完成测量，秋收后施工。"},
		{"通组公路急弯处没有护栏，晚上容易出事。", "镇村建设办已在急弯处安装波形护栏和警示标志。"},
		{"村口石桥桥面开裂，大车过桥很危险。", "已设限载标志，镇村建设办请检测单位评估后安排加固。"},
	},
	"饮水安全": {
		{"自来水水压不足，高处几户经常停水。", "已在高处加装增压泵，供水恢复正常。"},
		{"山塘水源被养鸭污染，担心饮水安全。", "已劝离养鸭户并清理水源，水质抽检合格。"},
		{"四组水管老化经常爆管，修了又坏。", "已将四组主管道列入改造，先更换了爆管最多的一段。"},
	},
	"养老助残": {
		{"独居老人行动不便，希望安排定期探访。", "已安排村医和网格员每周上门探访一次。"},
		{"残疾人家庭申请护理补贴没有下文。", "已核实资料，护理补贴本月起按月发放。"},
		{"老人想申请居家适老化改造，不知道找谁。", "已登记需求，卫生院和村委会上门评估后安排扶手和防滑改造。"},
	},
	"农业生产": {
		{"灌溉渠堵塞，影响春耕用水。", "已组织清淤修复，春耕前完工。"},
		{"野猪下山拱庄稼，玉米损失严重。", "已联系林业部门组织防控，并指导申报损失补偿。"},
		{"柑橘黄龙病蔓延，不知道怎么防治。", "农技员已上门指导，病树已挖除并统一防治木虱。"},
	},
	"医疗卫生": {
		{"村卫生室缺少常用药。", "已与镇卫生院协调，每周补充一次常用药。"},
		{"慢性病老人开药每月要跑镇上。", "已开通村卫生室慢病长处方，一次可开一个月的药。"},
		{"家庭医生签约后没见过医生上门。", "已通知签约团队，本月起每季度上门随访一次。"},
	},
	"安全生产": {
		{"老房子屋后山体有裂缝，担心雨季滑坡。", "已现场查看并设置警示，雨季安排专人巡查，暴雨时组织转移。"},
		{"村里小作坊用液化气不规范，担心出事。", "已现场检查，责令更换合格减压阀和软管，并培训安全使用。"},
		{"河边私挖砂石，堤岸被掏空。", "已制止私挖并回填，安排定期巡查。"},
	},
	"就业增收": {
		{"返乡青年想学养殖技术，不知道去哪里报名。", "已报名下月养殖技术培训，并对接养殖合作社。"},
		{"在外务工被拖欠工资，想请镇里帮忙。", "已协助联系劳动监察部门，欠薪已追回。"},
		{"村里的蜂蜜卖不出去，希望帮忙找销路。", "已对接电商服务站上架销售，并联系了镇里食堂采购。"},
	},
	"生态环境": {
		{"溪边有人倾倒建筑垃圾。", "已清理并设立禁止倾倒标牌，安排巡查。"},
		{"养猪场污水直排进小溪，气味很大。", "已责令养殖场整改并建沉淀池，污水不再直排。"},
		{"山上有人乱砍树木。", "已现场核查并制止，依法处理，补种树苗。"},
	},
	"教育": {
		{"校车停靠点没有遮雨棚，孩子淋雨等车。", "已在校车停靠点搭建遮雨棚。"},
		{"村小学围墙倒了一段，孩子上学不安全。", "已修复围墙，开学前完工。"},
		{"留守孩子放学后没人看管。", "已在村里开设四点半课堂，志愿者每天看护。"},
	},
}

// concernOf is topic th's k-th problem and its answer.
func concernOf(th theme, k int) concern {
	cs := concerns[th.topic]
	if len(cs) == 0 {
		return concern{th.problem, th.reply}
	}
	return cs[((k%len(cs))+len(cs))%len(cs)]
}

// answerTo is the answer that fits problem text of topic th.
func answerTo(th theme, text string) string {
	for _, c := range concerns[th.topic] {
		if c.problem == text {
			return c.answer
		}
	}
	return th.reply
}

// themeOf picks a theme by number.
func themeOf(n int) theme { return themes[((n%len(themes))+len(themes))%len(themes)] }
