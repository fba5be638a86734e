package visits

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"simeng/visitpace"
)

// A deputy's kept tally is kept between asks (deputyYear.tallied): after
// every add and remove, in any order, the kept answer is the one counted
// afresh from the groups.
func TestDeputyYearKeptTallyFollowsEveryChange(t *testing.T) {
	rnd := rand.New(rand.NewPCG(19, 1))
	d := &deputyYear{households: map[string]*[12]int{}, apart: map[visitpace.Group]int{}}
	held := map[string]visitpace.Group{}
	for step := range 2000 {
		if id := fmt.Sprint("v", rnd.IntN(60)); held[id] != (visitpace.Group{}) {
			d.remove(id, held[id])
			delete(held, id)
		} else {
			g := visitpace.Group{Household: fmt.Sprint("h", rnd.IntN(15)), Month: rnd.IntN(12),
				Late: rnd.IntN(5) == 0, Excluded: rnd.IntN(6) == 0}
			d.add(id, g)
			held[id] = g
		}
		if rnd.IntN(3) == 0 {
			continue // some changes come without an ask between them
		}
		if got, want := d.tally(), d.count(); got != want {
			t.Fatalf("step %d: kept %+v, counted %+v", step, got, want)
		}
	}
}
