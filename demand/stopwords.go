package demand

import "strings"

// builtinStop are words that carry no topic in a complaint: function words,
// pronouns, the courtesy and request phrases residents wrap every demand
// in, and generic nouns of administration. gse ships a stop list too, but
// it is made for general text and drops words that matter here (保险,
// 不满, 大事), so this list is our own. Staff add more with Dictionary.Ignore.
var builtinStop = toSet(strings.Fields(`
的 了 着 过 吗 呢 吧 啊 呀 嘛 哦 哈 啦 么 之 其 所 以 而 及 与 和 或 或者 跟 同
把 被 让 给 对 对于 关于 在 从 向 往 到 于 为 为了 因为 因此 所以 但是 但 可是 而且
并且 如果 虽然 即使 就 都 也 还 又 再 才 只 很 太 非常 比较 特别 十分 更 最 挺 蛮
有点 有些 一些 一点 一下 一直 一般 已经 曾经 正在 马上 尽快 尽早 早日 及早 赶紧 总是
经常 常常 老是 每次 多次 好几次 几次 几个 好几个 一个 这个 那个 这些 那些 这里 那里
这儿 那儿 这样 那样 这么 那么 什么 怎么 怎样 怎么办 为什么 哪 哪里 哪儿 谁 其他 其它
某 某些 每 各 各位 我 我们 你 你们 您 他 他们 她 她们 它 它们 大家 自己 咱们 俺 本人
是 有 没 没有 不 会 能 能够 可以 可能 应该 需要 要 想 得 地 等 等等 上 下 里 中 内
外 后 前 时 时候 时间 目前 现在 今年 去年 前年 最近 每天 天天 一直以来 长期 至今 依然
仍然 还是 还有 另外 同时 然后 以后 以前 之前 之后
请 请问 请求 恳请 希望 盼望 期望 期待 盼 要求 建议 反映 反应 呼吁 麻烦 帮忙 帮 谢谢 感谢
辛苦 您好 你好 领导 领导好 代表 代表您好 答复 回复 回音 给予 予以 协调 重视 关注 关心
解决 处理 落实 进行 开展 加强 做好 搞好 尽力 尽量 及时 一定 务必
问题 情况 事情 事 方面 相关 有关 部门 单位 政府 工作 人员 工作人员 存在 导致 造成 出现
影响 目的 原因 结果 方式 方法 办法 具体
村 组 镇 乡 社区 村民 群众 老百姓 百姓 居民 村里 村上 镇上 镇里 组上 我村 本村 该村
我组 本组 村委 村委会 村干部 家里 家中 附近 周边 地方
`))

// conjunctions join items of a list; a phrase never spans one
// (养老保险和医疗保险 must not give 保险医疗保险).
var conjunctions = toSet(strings.Fields(`和 与 及 以及 或 或者 还是 跟 同 并 并且 而 而且 但 但是 可是 还有 另外`))

// builtinKeep are single characters that are topics on their own; any other
// single character is dropped unless the township's dictionary lists it.
var builtinKeep = toSet(strings.Fields(`水 电 路 桥 灯 井 渠 塘 堰 坝 房 田 粮 药 网 树 狗 猪 气 煤 车 桶`))

// builtinWords are complaint terms gse's dictionary lacks or splits; they
// are segmented whole like township words.
var builtinWords = func() []Word {
	var out []Word
	for _, w := range strings.Fields(`留守儿童 空巢老人 低保金 低保户 减速带 安置房 通组公路 饮用水 排水沟 化粪池 路灯杆`) {
		out = append(out, Word{Text: w})
	}
	return out
}()

func toSet(words []string) map[string]struct{} {
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[Normalize(w)] = struct{}{}
	}
	return m
}

// StopWords returns the built-in stop list, sorted, for the staff screen
// that shows what is ignored without being listed by the township.
func StopWords() []string { return sortedKeys(builtinStop) }
