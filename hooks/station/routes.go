package station

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"simeng/hooks/internal/access"
)

// bodyLimit bounds the JSON bodies of the deputies' and staff's routes.
const bodyLimit = 16 << 10

func bindDeputyRoutes(se *core.ServeEvent) {
	g := se.Router.Group("/api/station")
	g.GET("/my", myStationData).BindFunc(access.RequireActiveDeputy).Bind(apis.Gzip())
	g.POST("/checkin", checkinScan).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/swaps", swapRequest).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/swaps/{id}/accept", swapAccept).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/swaps/{id}/decline", swapDecide("declined")).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/swaps/{id}/withdraw", swapDecide("withdrawn")).BindFunc(access.RequireActiveDeputy).Bind(apis.BodyLimit(bodyLimit))
	g.GET("/bookings", bookingsOfDay).BindFunc(requireDeputyOrOffice).Bind(apis.Gzip())
	g.POST("/bookings/{id}/mark", bookingMark).BindFunc(requireDeputyOrOffice).Bind(apis.BodyLimit(bodyLimit))
}

func bindStaffRoutes(se *core.ServeEvent) {
	g := se.Router.Group("/api/station")
	g.POST("/{id}/roster/preview", rosterPreview).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit), apis.Gzip())
	g.POST("/{id}/roster", rosterSave).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit), apis.Gzip())
	g.POST("/rosters/{id}/publish", rosterPublish).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/rosters/{id}/duties", dutyAdd).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/duties/{id}/reassign", dutyReassign).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit))
	g.POST("/duties/{id}/confirm", dutyConfirm).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit))
	g.DELETE("/duties/{id}", dutyDelete).BindFunc(requireOffice)
	g.GET("/duties", dutyList).BindFunc(requireOffice).Bind(apis.Gzip())
	g.GET("/{id}/checkin-code", checkinCode).BindFunc(requireOffice)
	g.GET("/{id}/posters", posters).BindFunc(requireOffice).Bind(apis.Gzip())
	g.POST("/hotline-calls", hotlineCall).BindFunc(requireOffice).Bind(apis.BodyLimit(bodyLimit))
}

// requireDeputyOrOffice: an active deputy (the handler narrows it) or staff.
func requireDeputyOrOffice(e *core.RequestEvent) error {
	if isOffice(e.Auth) {
		return e.Next()
	}
	return access.RequireActiveDeputy(e)
}
