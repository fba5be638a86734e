// Package workbook writes the Excel exports the township's offices work in
// (excelize): titled tables, sheets filled row by row, and the download.
// Values are written as text or numbers, never as formulas, so a resident's
// text starting with "=" stays text.
package workbook

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"
)

// ContentType is the MIME type of an .xlsx file.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Send sends f as a download named name (Chinese, for browsers that read
// filename*) or ascii (for those that do not), and closes it.
func Send(e *core.RequestEvent, f *excelize.File, ascii, name string) error {
	defer f.Close()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return e.InternalServerError("", err)
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
	h.Set("Cache-Control", "no-store")
	return e.Blob(http.StatusOK, ContentType, buf.Bytes())
}

// Table writes a titled table into a new sheet, as in the township's paper
// ledgers: the title merged across row 1, bold headers in row 2 (frozen),
// then the rows as text cells.
func Table(f *excelize.File, sheet, title string, headers []string, rows [][]string, widths []float64) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(headers))
	if err != nil {
		return err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
	})
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	headStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    border,
	})
	if err != nil {
		return err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    border,
	})
	if err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", titleStyle); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 28); err != nil {
		return err
	}
	for i, row := range append([][]string{headers}, rows...) {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+2)
			if err != nil {
				return err
			}
			// Always text: a description starting with "=" is not a formula.
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(sheet, "A2", last+"2", headStyle); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(sheet, "A3", fmt.Sprintf("%s%d", last, len(rows)+2), cellStyle); err != nil {
			return err
		}
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

// Rows appends rows to a sheet and keeps the first error (Err).
type Rows struct {
	f     *excelize.File
	sheet string
	n     int
	err   error
}

// NewRows writes into sheet of f from row 1.
func NewRows(f *excelize.File, sheet string) *Rows { return &Rows{f: f, sheet: sheet} }

// Row writes the next row; no values leave it empty. Strings are text cells
// (excelize's SetSheetRow writes a string as a string, never a formula).
func (w *Rows) Row(values ...any) {
	w.n++
	if w.err != nil || len(values) == 0 {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.n)
	w.err = w.f.SetSheetRow(w.sheet, cell, &values)
}

// Style styles the last row written (its first 30 columns).
func (w *Rows) Style(id int) {
	if w.err != nil {
		return
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.n)
	end, _ := excelize.CoordinatesToCellName(30, w.n)
	w.err = w.f.SetCellStyle(w.sheet, cell, end, id)
}

// Err is the first error of any write.
func (w *Rows) Err() error { return w.err }

// SheetName makes a valid, unique Excel sheet name (≤ 31 characters, none
// of : \ / ? * [ ]) and marks it used.
func SheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 28 {
		s = string(r[:28])
	}
	name := s
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s~%d", s, i)
	}
	used[name] = true
	return name
}
