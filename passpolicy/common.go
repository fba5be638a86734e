package passpolicy

// common lists passwords of at least MinLength characters found at the top
// of leaked password lists, Chinese sites' above all (CSDN, 163, 天涯),
// and what a township's users would reach for first. Compared after
// folding (lower case, half width) and with spaces, dashes and dots
// removed. Shorter ones (123456, woaini) are refused by length already.
var common = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, p := range []string{
		// Digits only are refused by rule; these mix in letters.
		"a123456789", "a1234567890", "a12345678910", "abc1234567", "abc12345678", "abc123456789",
		"abcd123456", "abcd12345678", "abcde12345", "abcdef1234", "a1b2c3d4e5", "a1b2c3d4e5f6",
		"aa12345678", "aa123456789", "aaa1234567", "qq12345678", "qq123456789", "qq5201314520",
		"123456789a", "1234567890a", "12345678abc", "123456abcd", "1234567890q", "123456789q",
		"1234567890qwe", "123456789abc", "123456qwer", "12345qwert", "123qweasdzxc",
		// Keyboard walks.
		"qwertyuiop", "qwertyuiop123", "asdfghjkl;", "asdfghjkl123", "zxcvbnm123", "zxcvbnm,./",
		"1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "1qazxsw23edc", "qazwsxedcrfv", "qazwsxedc123",
		"1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "qwer123456", "qwe1234567", "asd1234567",
		"asdf123456", "zxc1234567", "zaq12wsxcde3", "!qaz2wsx3edc", "!qaz@wsx#edc",
		// Love and luck (5201314: 我爱你一生一世).
		"woaini1314", "woaini1314520", "woaini5201314", "woaini123456", "woaini520520",
		"iloveyou1314", "iloveyou520", "iloveyou123", "5201314abc", "a5201314520", "5201314woaini",
		"aini1314520", "woainiwoaini", "wodemima123", "mima123456", "mima12345678",
		// Words with digits.
		"password123", "password1234", "password12345", "passw0rd123", "p@ssw0rd123", "admin123456",
		"administrator", "admin12345678", "root123456", "welcome123", "letmein123", "changeme123",
		"nihao123456", "zhongguo123", "zhongguo1949", "china123456", "beijing2008", "woshishui123",
		"wang123456", "zhang123456", "li12345678", "liu12345678", "chen123456", "yang123456", "huang123456",
		"zhao123456", "wu12345678", "zhou123456", "xiang123456", "tian123456",
		// This platform and its place (思蒙镇, 人大, 代表).
		"simeng123456", "simeng2025", "simeng2026", "simeng2027", "renda123456", "renda12345678",
		"daibiao123456", "rendadaibiao", "simengzhen123", "zhenrenda123", "huaihua123456", "hunan123456",
		"xupu123456", "xupu12345678",
	} {
		m[p] = struct{}{}
	}
	return m
}()
