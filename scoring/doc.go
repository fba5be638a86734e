// Package scoring computes a deputy's quantitative assessment (量化考核) for
// one year (R9): each rule item's points with an explanation and the records
// behind it, the base score, the bonus (加分), the total and the grade (等次).
//
// Rules are data that staff edit; Rules and Rule carry JSON tags so that the
// rows of the assessment_rules collection map onto them directly. Facts are
// gathered from the records by the caller; this package never touches the
// database.
package scoring
