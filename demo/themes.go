package demo

// The demo's concerns, each one topic with what a deputy notes on a visit,
// the problem a household raises about it, what a resident writes about
// it and the answer it gets, so that a record's text always fits its topic.
type theme struct {
	topic   string // one of vocab.Topics
	note    string // the visit log
	problem string // a problem raised on the visit (急难愁盼)
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

// themeOf picks a theme by number.
func themeOf(n int) theme { return themes[((n%len(themes))+len(themes))%len(themes)] }
