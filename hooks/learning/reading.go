package learning

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"simeng/chinatime"
	"simeng/hooks/internal/access"
	"simeng/hooks/internal/workbook"
	"simeng/hooks/roster"
	"simeng/vocab"
)

// Sheets of the reading export (tests read the file back by them).
const (
	SheetOverview = "文章阅读汇总"
	SheetMatrix   = "代表阅读明细"
)

// OverviewHeaders are the summary sheet's headers.
var OverviewHeaders = []string{"序号", "栏目", "标题", "发布日期", "已读人数", "应读人数", "阅读率"}

func bindReadingRoutes(app core.App) {
	guard := access.RequirePresidiumOrOffice("只有主席团成员和工作人员可以查看阅读情况。")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/learning")
		g.GET("/overview", handleOverview).BindFunc(guard)
		g.GET("/articles/{id}/readers", handleReaders).BindFunc(guard)
		g.GET("/reads.xlsx", handleReadsWorkbook).BindFunc(guard)
		return se.Next()
	})
}

// ArticleReading is one published article and how many deputies read it.
type ArticleReading struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Category    string `json:"category"`
	PublishedAt string `json:"published_at"`
	Read        int    `json:"read"`
	Deputies    int    `json:"deputies"` // active deputies, who should read it
}

// Overview lists every published article, newest first, with its readers
// among the active deputies.
func Overview(app core.App) ([]ArticleReading, error) {
	deputies, err := app.CountRecords("deputies", dbx.HashExp{"active": true})
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID          string `db:"id"`
		Title       string `db:"title"`
		Category    string `db:"category"`
		PublishedAt string `db:"published_at"`
		Read        int    `db:"n"`
	}
	err = app.DB().NewQuery(`SELECT a.id, a.title, a.category, a.published_at,
		(SELECT COUNT(*) FROM article_reads r JOIN deputies d ON d.id = r.deputy AND d.active = TRUE WHERE r.article = a.id) AS n
		FROM articles a WHERE a.published = TRUE ORDER BY a.published_at DESC, a.id`).All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]ArticleReading, len(rows))
	for i, r := range rows {
		out[i] = ArticleReading{ID: r.ID, Title: r.Title, Category: r.Category, PublishedAt: r.PublishedAt, Read: r.Read, Deputies: int(deputies)}
	}
	return out, nil
}

func handleOverview(e *core.RequestEvent) error {
	list, err := Overview(e.App)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"articles": list})
}

// Reader is an active deputy and when they first read an article ("" if
// not yet).
type Reader struct {
	Deputy  string `json:"deputy"`
	Name    string `json:"name"`
	Village string `json:"village"`
	ReadAt  string `json:"read_at"`
}

// Readers lists every active deputy with when they read article: readers
// first (earliest first), then who has not read it, by name.
func Readers(app core.App, article string) ([]Reader, error) {
	var rows []struct {
		ID      string `db:"id"`
		Name    string `db:"name"`
		Village string `db:"village"`
		ReadAt  string `db:"read_at"`
	}
	err := app.DB().NewQuery(`SELECT d.id, d.name, d.village, COALESCE(r.read_at, '') AS read_at
		FROM deputies d LEFT JOIN article_reads r ON r.deputy = d.id AND r.article = {:a}
		WHERE d.active = TRUE ORDER BY (r.read_at IS NULL), r.read_at, d.name`).Bind(dbx.Params{"a": article}).All(&rows)
	if err != nil {
		return nil, err
	}
	villages := map[string]string{}
	out := make([]Reader, len(rows))
	for i, r := range rows {
		if _, ok := villages[r.Village]; !ok {
			villages[r.Village] = roster.VillageName(app, r.Village)
		}
		out[i] = Reader{Deputy: r.ID, Name: r.Name, Village: villages[r.Village], ReadAt: r.ReadAt}
	}
	return out, nil
}

func handleReaders(e *core.RequestEvent) error {
	a, err := e.App.FindRecordById(articlesCollection, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("文章不存在。", nil)
	}
	if err != nil {
		return err
	}
	readers, err := Readers(e.App, a.Id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"id": a.Id, "title": a.GetString("title"), "readers": readers})
}

func handleReadsWorkbook(e *core.RequestEvent) error {
	f, err := readsWorkbook(e.App, time.Now())
	if err != nil {
		return err
	}
	return workbook.Send(e, f, "learning-reads.xlsx", "学习园地阅读情况.xlsx")
}

// readsWorkbook: the overview (one row per article) and the detail (one
// row per deputy, one column per article, the date read or 未读).
func readsWorkbook(app core.App, now time.Time) (*excelize.File, error) {
	list, err := Overview(app)
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	stamp := chinatime.In(now).Format("2006-01-02 15:04")
	var rows [][]string
	for i, a := range list {
		rate := "—"
		if a.Deputies > 0 {
			rate = strconv.FormatFloat(float64(a.Read)*100/float64(a.Deputies), 'f', 1, 64) + "%"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), vocab.Label(vocab.ArticleCategories, a.Category), a.Title,
			dateOf(a.PublishedAt), strconv.Itoa(a.Read), strconv.Itoa(a.Deputies), rate})
	}
	if err := workbook.Table(f, SheetOverview, "学习园地文章阅读情况（截至"+stamp+"）", OverviewHeaders, rows,
		[]float64{6, 10, 40, 12, 10, 10, 10}); err != nil {
		return nil, err
	}

	headers := []string{"序号", "代表", "所在村"}
	read := map[string]map[string]string{} // deputy → article → date
	for _, a := range list {
		headers = append(headers, a.Title)
		readers, err := Readers(app, a.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range readers {
			if read[r.Deputy] == nil {
				read[r.Deputy] = map[string]string{}
			}
			read[r.Deputy][a.ID] = dateOf(r.ReadAt)
		}
	}
	deputies, err := Readers(app, "") // every active deputy, by name
	if err != nil {
		return nil, err
	}
	var detail [][]string
	widths := []float64{6, 10, 14}
	for i, d := range deputies {
		row := []string{strconv.Itoa(i + 1), d.Name, d.Village}
		for _, a := range list {
			v := read[d.Deputy][a.ID]
			if v == "" {
				v = "未读"
			}
			row = append(row, v)
		}
		detail = append(detail, row)
	}
	for range list {
		widths = append(widths, 14)
	}
	if err := workbook.Table(f, SheetMatrix, "代表阅读明细（阅读日期；截至"+stamp+"）", headers, detail, widths); err != nil {
		return nil, err
	}
	return f, f.DeleteSheet("Sheet1")
}

// dateOf is a stored time's date in China time, "" for none.
func dateOf(stored string) string {
	if stored == "" {
		return ""
	}
	t, err := time.Parse("2006-01-02 15:04:05.000Z", stored)
	if err != nil {
		return stored
	}
	return chinatime.Date(t)
}
