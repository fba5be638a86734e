package notify

// Variables shared by several templates.
var (
	vDue      = Var{Name: "due", Kind: VarTime, Label: "期限（如 2025-06-01 09:30）", Max: 16}
	vCategory = Var{Name: "category", Kind: VarText, Label: "建议类别（如 道路交通）", Max: 10}
	vVillage  = Var{Name: "village", Kind: VarText, Label: "村名", Max: 12}
	vDeputy   = Var{Name: "deputy", Kind: VarText, Label: "承办代表姓名", Max: 10}
	vKind     = Var{Name: "kind", Kind: VarText, Label: "事项类别：问题、议案建议、隐患或督办任务", Max: 6}
	vTitle    = Var{Name: "title", Kind: VarText, Label: "事项名称", Max: 30}
	vPlace    = Var{Name: "place", Kind: VarText, Label: "地点", Max: 20}
	vMeeting  = Var{Name: "meeting", Kind: VarText, Label: "会议名称", Max: 30}
	vStart    = Var{Name: "start", Kind: VarTime, Label: "开始时间", Max: 16}
	vTracking = Var{Name: "tracking", Kind: VarCode, Label: "查询码（10位字母数字）", Max: 10}
)

// catalog holds every template. SMS texts are short (one or two 70-character
// segments with the signature) and name the platform, as Alibaba's review
// asks. Residents' texts carry nothing but their own tracking code.
var catalog = []Template{
	{
		ID: TplSuggestionNew, Name: "新群众建议提醒", Audience: "承办代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您收到一条群众建议，类别为${category}，请于${due}前回应，详情请登录思蒙镇智慧人大查看。",
		Title: "新的群众建议",
		Body:  "收到一条${category}方面的群众建议（来源：${source}），请于${due}前回应。",
		Vars:  []Var{vCategory, vDue, {Name: "source", Kind: VarText, Label: "来源（扫码、热线、联络站、书面、企业）", Max: 8}},
	},
	{
		ID: TplBookingNew, Name: "接待预约提醒", Audience: "被预约的代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "有群众预约于${when}在${place}与您面谈，详情请登录思蒙镇智慧人大查看。",
		Title: "新的接待预约",
		Body:  "有群众预约于${when}在${place}与您面谈，请按时接待。",
		Vars:  []Var{{Name: "when", Kind: VarTime, Label: "预约时间", Max: 16}, vPlace},
	},
	{
		ID: TplAckReminder, Name: "建议待回应提醒", Audience: "承办代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您有一条群众建议尚未回应，回应期限为${due}，请尽快登录思蒙镇智慧人大处理。",
		Title: "建议待回应",
		Body:  "有一条${category}方面的群众建议尚未回应，须在${due}前回应（24小时内响应）。",
		Vars:  []Var{vDue, vCategory},
	},
	{
		ID: TplFeedbackReminder, Name: "建议待反馈提醒", Audience: "承办代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您有一条群众建议须于${due}前反馈办理结果，请及时登录思蒙镇智慧人大处理。",
		Title: "建议待反馈",
		Body:  "有一条${category}方面的群众建议须在${due}前反馈办理结果（5个工作日内反馈）。",
		Vars:  []Var{vDue, vCategory},
	},
	{
		ID: TplEscalation, Name: "建议逾期督办提醒", Audience: "包联主席团成员；联络员群",
		Channels: []Channel{InApp, SMS, WeCom}, SMSKind: SMSNotice,
		SMS:   "您包联的${village}有一条群众建议超过${stage}期限，承办代表为${deputy}，请督促办理。",
		Title: "建议逾期督办",
		Body:  "${village}一条${category}方面的群众建议超过${stage}期限，承办代表${deputy}，请督促办理。",
		Vars:  []Var{vVillage, {Name: "stage", Kind: VarText, Label: "回应或反馈", Max: 4}, vDeputy, vCategory},
	},
	{
		ID: TplDeadlineSoon, Name: "事项即将到期提醒", Audience: "责任单位或责任人",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您负责办理的${kind}将于${due}到期，事项：${title}，请按时办理。",
		Title: "${kind}即将到期",
		Body:  "${title}，期限${due}，请按时办理。",
		Vars:  []Var{vKind, vDue, vTitle},
	},
	{
		ID: TplDeadlinePassed, Name: "事项逾期提醒", Audience: "责任单位或责任人；联络员群",
		Channels: []Channel{InApp, SMS, WeCom}, SMSKind: SMSNotice,
		SMS:   "您负责办理的${kind}已于${due}逾期，事项：${title}，请尽快办理并报告进展。",
		Title: "${kind}已逾期",
		Body:  "${title}，期限${due}，已逾期，请尽快办理并报告进展。",
		Vars:  []Var{vKind, vDue, vTitle},
	},
	{
		ID: TplMeetingNotice, Name: "会议通知", Audience: "应到会人员",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "请于${start}到${place}参加${meeting}，不能参加请向联络员请假。",
		Title: "会议通知",
		Body:  "${meeting}定于${start}在${place}召开，请准时参加；不能参加请向联络员请假。",
		Vars:  []Var{vStart, vPlace, vMeeting},
	},
	{
		ID: TplMeetingReminder, Name: "会前提醒", Audience: "应到会且未请假的人员",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "提醒：${meeting}将于${start}在${place}召开，请准时参加。",
		Title: "明日会议提醒",
		Body:  "${meeting}将于${start}在${place}召开，请准时参加。",
		Vars:  []Var{vMeeting, vStart, vPlace},
	},
	{
		ID: TplMarketDuty, Name: "联络站接待值班提醒", Audience: "值班代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "提醒：${date}（农历${lunar}）由您在代表联络站接待选民，请准时到岗。",
		Title: "明日联络站接待",
		Body:  "${date}（农历${lunar}）是联络站接待日，由您接待选民，请准时到岗。",
		Vars: []Var{
			{Name: "date", Kind: VarTime, Label: "日期（如 2025-06-01）", Max: 10},
			{Name: "lunar", Kind: VarText, Label: "农历日期（如 四月初九）", Max: 8},
		},
	},
	{
		ID: TplPaceReminder, Name: "走访进度提醒", Audience: "走访进度落后的代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "今年您已走访${done}户，按月进度应达${expected}户，全年不少于12户，请抓紧安排走访。",
		Title: "走访进度提醒",
		Body:  "今年已走访${done}户，按月进度应达${expected}户（全年不少于12户），请抓紧安排走访。",
		Vars: []Var{
			{Name: "done", Kind: VarNumber, Label: "已走访户数", Max: 3},
			{Name: "expected", Kind: VarNumber, Label: "应走访户数", Max: 3},
		},
	},
	{
		ID: TplResidentReceipt, Name: "群众建议受理回执", Audience: "留了手机号并同意接收短信的群众",
		Channels: []Channel{SMS}, SMSKind: SMSNotice,
		SMS:  "您的建议已收到，我们将在24小时内回应、5个工作日内反馈。查看进度：" + SitePlaceholder + "/t/${tracking}",
		Vars: []Var{vTracking},
	},
	{
		ID: TplResidentAnswered, Name: "群众建议答复通知", Audience: "留了手机号并同意接收短信的群众",
		Channels: []Channel{SMS}, SMSKind: SMSNotice,
		SMS:  "您反映的建议已有答复，请查看并评价：" + SitePlaceholder + "/t/${tracking}",
		Vars: []Var{vTracking},
	},
	{
		ID: TplLoginCode, Name: "登录验证码", Audience: "代表、单位账号",
		Channels: []Channel{SMS}, Urgent: true, SMSKind: SMSCode,
		SMS:  "验证码${code}，5分钟内有效，用于登录思蒙镇智慧人大或重置密码，请勿告诉他人。",
		Vars: []Var{{Name: "code", Kind: VarOTP, Label: "6位数字验证码", Max: 6}},
	},
	{
		ID: TplVisitNotice, Name: "走访核实短信", Audience: "签名确认走访并同意短信核实的农户",
		Channels: []Channel{SMS}, SMSKind: SMSNotice,
		SMS: "您好，${date}有镇人大代表到您家走访，已在思蒙镇智慧人大登记。如没有此事，请致电镇人大办公室${office}。",
		Vars: []Var{
			{Name: "date", Kind: VarTime, Label: "走访日期（如 2025-06-01）", Max: 10},
			{Name: "office", Kind: VarCode, Label: "镇人大办公室电话（数字和短横线）", Max: 20},
		},
	},
	{
		ID: TplDeliveryProblem, Name: "通知发送受阻", Audience: "联络员",
		Channels: []Channel{InApp, WeCom},
		Title:    "通知发送受阻",
		Body:     "${channel}发送受阻（${reason}），有${count}条消息等待发送，请到工作台查看。",
		Vars: []Var{
			{Name: "channel", Kind: VarText, Label: "渠道（短信、企业微信）", Max: 6},
			{Name: "reason", Kind: VarText, Label: "原因", Max: 35},
			{Name: "count", Kind: VarNumber, Label: "等待条数", Max: 5},
		},
	},
	{
		ID: TplAssigned, Name: "交办事项提醒", Audience: "承办单位",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "有一项${kind}交由您单位办理，事项：${title}，期限为${due}，详情请登录思蒙镇智慧人大查看。",
		Title: "新交办的${kind}",
		Body:  "${title}，已交由本单位办理，期限${due}，请按时办理并答复。",
		Vars:  []Var{vKind, vTitle, vDue},
	},
	{
		ID: TplRedo, Name: "议案建议重新办理提醒", Audience: "承办单位",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "代表对议案建议答复不满意，事项：${title}，请于${due}前重新办理并答复。",
		Title: "议案建议须重新办理",
		Body:  "领衔代表对「${title}」的答复不满意，请在${due}前重新办理并答复。",
		Vars:  []Var{vTitle, vDue},
	},
	{
		ID: TplProposalReplied, Name: "议案建议答复通知", Audience: "领衔代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您领衔的议案建议已有答复，事项：${title}，请登录思蒙镇智慧人大查看并评价。",
		Title: "议案建议已答复",
		Body:  "您领衔的「${title}」已由承办单位答复，请查看并评价（满意、基本满意或不满意）。",
		Vars:  []Var{vTitle},
	},
	{
		ID: TplCosponsorInvite, Name: "联名附议邀请", Audience: "被邀请附议的代表",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "代表${deputy}邀请您联名附议，事项：${title}，请登录思蒙镇智慧人大确认。",
		Title: "联名附议邀请",
		Body:  "${deputy}邀请您联名附议「${title}」，请确认是否附议。",
		Vars:  []Var{vDeputy, vTitle},
	},
	{
		ID: TplReturnRequested, Name: "退办申请提醒", Audience: "联络员；联络员群",
		Channels: []Channel{InApp, WeCom},
		Title:    "${unit}申请退办",
		Body:     "${unit}申请退办${kind}「${title}」，请到「退办申请」改派或维持交办。",
		Vars:     []Var{{Name: "unit", Kind: VarText, Label: "承办单位名称", Max: 20}, vKind, vTitle},
	},
	{
		ID: TplReturnDecided, Name: "退办申请答复", Audience: "承办单位",
		Channels: []Channel{InApp, SMS}, SMSKind: SMSNotice,
		SMS:   "您单位申请退办的${kind}已有答复：${decision}，事项：${title}，详情请登录思蒙镇智慧人大查看。",
		Title: "退办申请已答复",
		Body:  "您单位申请退办的${kind}「${title}」：${decision}。",
		Vars:  []Var{vKind, vTitle, {Name: "decision", Kind: VarText, Label: "答复（已改派其他单位或维持交办）", Max: 12}},
	},
}
