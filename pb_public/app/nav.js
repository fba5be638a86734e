// The navigation registry: every destination of the app, once. The router
// (main.js), the home screen's tiles and the bottom bar all read it, so a
// new screen is one entry here (and its module in screens/).
//
// An entry:
//   key    the hash route (#/key); '' is the home screen
//   title  what the screen and its home tile are called (at most 6
//          characters: two tiles a row at 360 px, never a word broken)
//   short  the bottom bar's label: at most 3 characters, so five fit at
//          360 px in 18 px text without breaking a word
//   roles  who may open it: 'deputy', 'presidium', 'staff', 'unit'
//   load   () => import(...) of the screen's component (loaded on first use)
//   tile   shown as a tile on the home screen: true for every role of roles,
//          a list for some of them, false for none (reached from another screen)
//   bar    the roles whose bottom bar holds it (in registry order, after 首页;
//          at most four a role)
//   note   a few words under the tile's title
//
// Roles come from the login (roleOf): a deputy, a deputy with the presidium
// flag, an office staff account, a handling unit (承办单位).

export const DEPUTY = 'deputy';
export const PRESIDIUM = 'presidium';
export const STAFF = 'staff';
export const UNIT = 'unit';

const DEPUTIES = [DEPUTY, PRESIDIUM];
const OVERSIGHT = [PRESIDIUM, STAFF];

export const DESTINATIONS = [
  { key: '', title: '首页', short: '首页', roles: [DEPUTY, PRESIDIUM, STAFF, UNIT], tile: false, bar: [DEPUTY, PRESIDIUM, STAFF] },
  { key: 'new', title: '记走访', short: '记走访', roles: DEPUTIES, tile: true, bar: DEPUTIES,
    note: '没有信号也能记', load: () => import('./screens/visit-new.js').then((m) => m.NewVisit) },
  { key: 'visits', title: '我的走访', short: '走访', roles: DEPUTIES, tile: true, bar: [DEPUTY],
    note: '上传情况', load: () => import('./screens/visits.js').then((m) => m.Visits) },
  { key: 'workbench', title: '工作台', short: '工作台', roles: [STAFF], tile: true, bar: [STAFF],
    note: '今日待办、登记、名册', load: () => import('./screens/workbench.js').then((m) => m.Workbench) },
  { key: 'suggestions', title: '群众建议', short: '建议', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [DEPUTY, PRESIDIUM, STAFF],
    note: '24小时内响应', load: () => import('./screens/suggestions.js').then((m) => m.Suggestions) },
  { key: 'problems', title: '我反映的问题', short: '问题', roles: DEPUTIES, tile: true, bar: [DEPUTY],
    note: '办理情况', load: () => import('./screens/problems.js').then((m) => m.Problems) },
  { key: 'problem-actions', title: '问题办理', short: '办理', roles: [PRESIDIUM, STAFF, UNIT], tile: true, bar: [],
    note: '转办、答复、办结', load: () => import('./screens/problem-actions.js').then((m) => m.ProblemActions) },
  { key: 'tasks', title: '会后督办', short: '督办', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [],
    note: '事项和进展', load: () => import('./screens/tasks.js').then((m) => m.Tasks) },
  { key: 'inspections', title: '执法检查', short: '检查', roles: DEPUTIES, tile: true, bar: [],
    note: '检查和隐患', load: () => import('./screens/inspections.js').then((m) => m.Inspections) },
  { key: 'inspect', title: '记检查', short: '记检查', roles: DEPUTIES, tile: false, bar: [],
    load: () => import('./screens/inspection-new.js').then((m) => m.NewInspection) },
  { key: 'dossier', title: '履职档案', short: '档案', roles: [DEPUTY, PRESIDIUM, STAFF], tile: DEPUTIES, bar: [],
    note: '得分和记录', load: () => import('./screens/dossier.js').then((m) => m.Dossier) },
  { key: 'progress', title: '代表进度', short: '进度', roles: OVERSIGHT, tile: true, bar: OVERSIGHT,
    note: '走访户数', load: () => import('./screens/progress.js').then((m) => m.Progress) },
  { key: 'visit-review', title: '走访核查', short: '核查', roles: OVERSIGHT, tile: true, bar: [],
    note: '提示和审核', load: () => import('./screens/review.js').then((m) => m.Review) },
  { key: 'callbacks', title: '回访抽查', short: '回访', roles: OVERSIGHT, tile: true, bar: [],
    note: '每月随机电话核实', load: () => import('./screens/callbacks.js').then((m) => m.Callbacks) },
  { key: 'ledger', title: '隐患台账', short: '台账', roles: OVERSIGHT, tile: true, bar: OVERSIGHT,
    note: '计划、督办、导出', load: () => import('./screens/ledger.js').then((m) => m.Ledger) },
  { key: 'meeting-plan', title: '会议计划', short: '计划', roles: OVERSIGHT, tile: true, bar: [],
    note: '哪些会没开', load: () => import('./screens/meeting-plan.js').then((m) => m.MeetingPlan) },
  { key: 'ranking', title: '代表亮分', short: '亮分', roles: OVERSIGHT, tile: true, bar: [STAFF],
    note: '考核排名', load: () => import('./screens/dossier.js').then((m) => m.Ranking) },
  { key: 'qr-cards', title: '代表码联系卡', short: '联系卡', roles: [STAFF], tile: true, bar: [],
    note: 'A4 纸打印', load: () => import('./screens/qr-cards.js').then((m) => m.QRCards) },
  { key: 'proposals', title: '议案建议', short: '议案', roles: DEPUTIES, tile: true, bar: [],
    note: '起草、附议、评价', load: () => import('./screens/proposals.js').then((m) => m.Proposals) },
  { key: 'votes', title: '票决评议', short: '票决', roles: DEPUTIES, tile: true, bar: [],
    note: '民生实事投票', load: () => import('./screens/votes.js').then((m) => m.Votes) },
  { key: 'review', title: '议案办理', short: '办理', roles: OVERSIGHT, tile: true, bar: [],
    note: '立案交办、办结率', load: () => import('./screens/proposals-review.js').then((m) => m.ProposalsReview) },
  { key: 'vote-admin', title: '票决管理', short: '票决', roles: [STAFF], tile: true, bar: [],
    note: '纸质选票、计票', load: () => import('./screens/vote-admin.js').then((m) => m.VoteAdmin) },
  { key: 'supervision', title: '监督通报', short: '通报', roles: OVERSIGHT, tile: true, bar: [],
    note: '发布、打印、整改', load: () => import('./screens/supervision-reports.js').then((m) => m.SupervisionReports) },
  { key: 'inquiries', title: '专题询问', short: '询问', roles: [DEPUTY, PRESIDIUM, STAFF, UNIT], tile: true, bar: [],
    note: '议题、提问和回答', load: () => import('./screens/inquiries.js').then((m) => m.Inquiries) },
  { key: 'returns', title: '退办申请', short: '退办', roles: OVERSIGHT, tile: true, bar: [],
    note: '改派或维持交办', load: () => import('./screens/returns.js').then((m) => m.Returns) },
  { key: 'inbox', title: '交办事项', short: '待办', roles: [UNIT], tile: false, bar: [],
    load: () => import('./screens/unit-inbox.js').then((m) => m.UnitInbox) },
  { key: 'checkin', title: '会议签到', short: '签到', roles: DEPUTIES, tile: false, bar: [],
    load: () => import('./screens/checkin.js').then((m) => m.Checkin) },
  { key: 'duty', title: '联络站值班', short: '值班', roles: DEPUTIES, tile: true, bar: [],
    note: '签到和预约', load: () => import('./screens/duty.js').then((m) => m.Duty) },
  { key: 'reception', title: '记录接待', short: '接待', roles: DEPUTIES, tile: false, bar: [],
    load: () => import('./screens/reception-new.js').then((m) => m.NewReception) },
  { key: 'roster', title: '排班和换班', short: '排班', roles: DEPUTIES, tile: true, bar: [],
    note: '换班和请假', load: () => import('./screens/roster.js').then((m) => m.Roster) },
  { key: 'topics', title: '云端议事', short: '议事', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [],
    note: '议题和意见', load: () => import('./screens/topics.js').then((m) => m.Topics) },
  { key: 'topic', title: '云端议事', short: '议事', roles: [DEPUTY, PRESIDIUM, STAFF], tile: false, bar: [],
    load: () => import('./screens/topics.js').then((m) => m.Topic) },
  { key: 'topic-new', title: '发起议题', short: '发起', roles: OVERSIGHT, tile: false, bar: [],
    load: () => import('./screens/topics.js').then((m) => m.NewTopic) },
  { key: 'surveys', title: '微调研', short: '调研', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [],
    note: '问卷和结果', load: () => import('./screens/surveys.js').then((m) => m.Surveys) },
  { key: 'survey', title: '微调研', short: '调研', roles: [DEPUTY, PRESIDIUM, STAFF], tile: false, bar: [],
    load: () => import('./screens/surveys.js').then((m) => m.Survey) },
  { key: 'survey-new', title: '发起调查', short: '发起', roles: OVERSIGHT, tile: false, bar: [],
    load: () => import('./screens/surveys.js').then((m) => m.NewSurvey) },
  { key: 'reports', title: '调研报告', short: '报告', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [],
    note: '提交和采纳', load: () => import('./screens/reports.js').then((m) => m.Reports) },
  { key: 'report-new', title: '提交调研报告', short: '提交', roles: DEPUTIES, tile: false, bar: [],
    load: () => import('./screens/reports.js').then((m) => m.NewReport) },
  { key: 'learning', title: '学习园地', short: '学习', roles: DEPUTIES, tile: true, bar: [],
    note: '没信号也能读', load: () => import('./screens/learning.js').then((m) => m.Learning) },
  { key: 'article', title: '学习园地', short: '学习', roles: DEPUTIES, tile: false, bar: [],
    load: () => import('./screens/learning.js').then((m) => m.Article) },
  { key: 'reading', title: '阅读情况', short: '阅读', roles: OVERSIGHT, tile: [STAFF],
    note: '代表读了哪些', bar: [],
    load: () => import('./screens/learning.js').then((m) => m.Reading) },
  { key: 'analysis', title: '诉求分析', short: '分析', roles: OVERSIGHT, tile: true, bar: [],
    note: '热点和高频词', load: () => import('./screens/analysis.js').then((m) => m.Analysis) },
  { key: 'demand-search', title: '诉求检索', short: '检索', roles: [DEPUTY, PRESIDIUM, STAFF], tile: true, bar: [],
    note: '全文查找', load: () => import('./screens/demand-search.js').then((m) => m.DemandSearch) },
  { key: 'year-report', title: '年度报告', short: '报告', roles: OVERSIGHT, tile: true, bar: [],
    note: '统计和述职评议', load: () => import('./screens/year-report.js').then((m) => m.YearReport) },
  { key: 'duty-report', title: '我的述职报告', short: '述职', roles: DEPUTIES, tile: true, bar: [],
    note: '可修改后打印', load: () => import('./screens/duty-report.js').then((m) => m.DutyReport) },
  { key: 'notices', title: '通知', short: '通知', roles: [DEPUTY, PRESIDIUM, STAFF, UNIT], tile: true, bar: [],
    note: '提醒和通知', load: () => import('./screens/notices.js').then((m) => m.Notices) },
  { key: 'install', title: '安装到桌面', short: '安装', roles: [DEPUTY, PRESIDIUM, STAFF, UNIT], tile: true, bar: [],
    note: '没信号也能开', load: () => import('./screens/install.js').then((m) => m.Install) },
];

// MAX_BAR is how many destinations the bottom bar holds, 首页 included.
export const MAX_BAR = 5;

// roleOf is what a login may open: the account's collection, and for a
// deputy the presidium flag.
export function roleOf(user) {
  if (!user) return null;
  switch (user.collectionName) {
    case 'staff': return STAFF;
    case 'units': return UNIT;
    default: return user.presidium ? PRESIDIUM : DEPUTY;
  }
}

// oversees: the presidium and the office see the whole township's records.
export function oversees(user) {
  return OVERSIGHT.includes(roleOf(user));
}

// destination is the entry of a route that role may open, or the home
// screen's.
export function destination(key, role) {
  const d = DESTINATIONS.find((x) => x.key === key);
  return d && d.roles.includes(role) ? d : DESTINATIONS[0];
}

// tilesFor are the home screen's tiles of role.
export function tilesFor(role) {
  return DESTINATIONS.filter((d) => d.roles.includes(role) && (d.tile === true || (Array.isArray(d.tile) && d.tile.includes(role))));
}

// barFor is role's bottom bar: 首页 and at most four more; none when it
// would hold 首页 alone.
export function barFor(role) {
  const bar = DESTINATIONS.filter((d) => d.bar.includes(role) && d.roles.includes(role)).slice(0, MAX_BAR);
  return bar.length > 1 ? bar : [];
}
