package workbook_test

import (
	"testing"

	"github.com/xuri/excelize/v2"

	"simeng/hooks/internal/workbook"
)

// Text a resident or deputy typed is stored as text, never as a formula
// Excel would run.
func TestCellsAreNeverFormulas(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	evil := `=HYPERLINK("http://evil.example","点我")`
	if err := workbook.Table(f, "表", "标题", []string{"内容"}, [][]string{{evil}}, nil); err != nil {
		t.Fatal(err)
	}
	w := workbook.NewRows(f, "Sheet1")
	w.Row(evil, 3)
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, cell string }{{"表", "A3"}, {"Sheet1", "A1"}} {
		if formula, _ := f.GetCellFormula(c.sheet, c.cell); formula != "" {
			t.Errorf("%s!%s holds the formula %q", c.sheet, c.cell, formula)
		}
		if v, _ := f.GetCellValue(c.sheet, c.cell); v != evil {
			t.Errorf("%s!%s = %q", c.sheet, c.cell, v)
		}
	}
}

func TestSheetNamesAreValidAndUnique(t *testing.T) {
	used := map[string]bool{}
	a := workbook.SheetName("01 张三/李四?", used)
	b := workbook.SheetName("01 张三/李四?", used)
	if a != "01 张三_李四_" || b != "01 张三_李四_~2" {
		t.Errorf("names %q %q", a, b)
	}
	long := workbook.SheetName("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十", used)
	if n := len([]rune(long)); n > 31 {
		t.Errorf("%q is %d characters", long, n)
	}
}
