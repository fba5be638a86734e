// Package notify is the notification outbox (通知发件箱) as a capability:
// the notify_outbox collection implements the pure notify.Store, a worker
// started on serve delivers through the channels that are configured
// (in-app notices always; SMS and the 企业微信 office robot once their
// settings are complete), and Enqueue is the one call every other
// capability uses to say something to someone:
//
//	notify.Enqueue(app, nt.Message{EventKey: nt.EventKey(nt.TplBookingNew, bookingID),
//		Recipient: deputyID, Channel: nt.InApp, Template: nt.TplBookingNew, Params: …})
//
// (nt is simeng/notify, the pure delivery model.) One event gives at most
// one message per recipient and channel: the outbox keys rows by the
// message's dedupe key. The events wired here are in events.go.
package notify

import (
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	nt "simeng/notify"
)

// Collections of the capability.
const (
	Outbox   = "notify_outbox"
	Notices  = "notices"
	Settings = "notify_settings"
)

// OfficeRobot is the recipient name of the office group's 企业微信 robot.
const OfficeRobot = "office"

const serviceKey = "simeng.notify"

// service is an app's outbox: its store, worker and channel settings.
type service struct {
	app   core.App
	store *store
	kick  chan struct{}

	mu      sync.Mutex
	worker  *nt.Worker
	loaded  bool
	enabled map[nt.Channel]bool
	// smsCodes are the Alibaba template codes staff entered: an SMS
	// whose template has none is not queued (see Enqueue).
	smsCodes map[nt.TemplateID]string
	cancel   context.CancelFunc
	done     chan struct{}
	// queued counts the messages queued since the last Flush (Settle).
	queued atomic.Int64
}

func serviceOf(app core.App) *service {
	return app.Store().GetOrSet(serviceKey, func() any {
		s := &service{app: app, kick: make(chan struct{}, 1)}
		s.store = &store{app: app}
		s.worker = &nt.Worker{Store: s.store, Policies: policies(), Senders: map[nt.Channel]nt.Sender{}}
		return s
	}).(*service)
}

// LeaseEnv, when set to a duration (e.g. "2s"), shortens every channel's
// lease, first backoff and rest to it: for the tests that kill the real
// server mid-send and would otherwise wait minutes for a lease to run out.
// Never set it in production.
const LeaseEnv = "SIMENG_NOTIFY_LEASE"

func policies() nt.Policies {
	pol := nt.DefaultPolicies()
	d, err := time.ParseDuration(os.Getenv(LeaseEnv))
	if err != nil || d <= 0 {
		return pol
	}
	for ch, p := range pol {
		p.Lease, p.Base, p.BlockedWait = d, min(p.Base, d), min(p.BlockedWait, d)
		p.Max = max(p.Base, min(p.Max, 4*d))
		pol[ch] = p
	}
	return pol
}

// Register binds the outbox: the worker on serve (stopped on terminate),
// the settings that switch channels on, the workbench routes and the
// events of the other capabilities.
func Register(app core.App) {
	s := serviceOf(app)
	s.worker.OnError = func(err error) { app.Logger().Error("notify worker", "error", err) }
	s.worker.OnBlocked = func(ch nt.Channel, o nt.Outcome) { s.blocked(ch, o) }

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if err := s.reconfigure(); err != nil {
			app.Logger().Error("notify settings", "error", err)
		}
		s.start()
		bindRoutes(se)
		return se.Next()
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		s.stop()
		return e.Next()
	})
	for _, bind := range []func(func(*core.RecordEvent) error){
		func(f func(*core.RecordEvent) error) { app.OnRecordAfterCreateSuccess(Settings).BindFunc(f) },
		func(f func(*core.RecordEvent) error) { app.OnRecordAfterUpdateSuccess(Settings).BindFunc(f) },
		func(f func(*core.RecordEvent) error) { app.OnRecordAfterDeleteSuccess(Settings).BindFunc(f) },
	} {
		bind(func(e *core.RecordEvent) error {
			if err := s.reconfigure(); err != nil {
				e.App.Logger().Error("notify settings", "error", err)
			}
			for _, ch := range nt.Channels {
				s.worker.Release(ch)
			}
			s.kickNow()
			return e.Next()
		})
	}
	// Wake the worker once a queued row is committed: a kick from inside
	// the transaction that queues it would find nothing yet.
	app.OnRecordAfterCreateSuccess(Outbox).BindFunc(func(e *core.RecordEvent) error {
		s.queued.Add(1)
		s.kickNow()
		return e.Next()
	})
	bindSecrets(app)
	bindNotices(app)
	bindEvents(app)
}

// start runs the worker until stop.
func (s *service) start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.cancel, s.done = cancel, done
	go func() {
		defer close(done)
		s.worker.Run(ctx, s.kick, time.Minute)
	}()
}

// stop cancels the worker and waits for it: a try under way keeps its
// claim, and its lease settles it on the next start.
func (s *service) stop() {
	s.mu.Lock()
	cancel, done := s.cancel, s.done
	s.cancel, s.done = nil, nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (s *service) now() time.Time {
	if s.worker.Now != nil {
		return s.worker.Now()
	}
	return time.Now()
}

func (s *service) kickNow() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Enqueue queues messages, each unless a message with its dedupe key is
// queued already (then it is skipped: one event, one message). Messages for
// a channel that is not configured (SMS, 企业微信), and SMS in a template
// without an Alibaba code, are dropped, so nothing piles up for a channel
// that does not exist. Call it inside the
// transaction of the change that causes the message (pass the tx app):
// what is rolled back is never sent. The worker is woken at once.
func Enqueue(app core.App, msgs ...nt.Message) error {
	s := serviceOf(app)
	var errs []error
	for _, m := range msgs {
		if err := m.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if !s.channelOn(app, m.Channel) || !s.templateOn(m) {
			continue
		}
		if _, err := s.store.enqueue(app, m, s.now(), s.worker.Policies[m.Channel]); err != nil {
			errs = append(errs, err)
		}
	}
	s.kickNow()
	return errors.Join(errs...)
}

// templateOn: an SMS goes out only in a template staff gave an Alibaba
// code. Queued without one, it was refused as "blocked", which rests the
// whole SMS channel: one notice type not yet approved at Alibaba then held
// back every login code for the channel's rest (an office usually enters
// the login template first).
func (s *service) templateOn(m nt.Message) bool {
	if m.Channel != nt.SMS {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.smsCodes[m.Template] != ""
}

// ChannelOn reports whether messages are queued and sent on ch: in-app
// always, SMS and 企业微信 once their settings are complete.
func ChannelOn(app core.App, ch nt.Channel) bool {
	return serviceOf(app).channelOn(app, ch)
}

func (s *service) channelOn(app core.App, ch nt.Channel) bool {
	if ch == nt.InApp {
		return true
	}
	s.mu.Lock()
	loaded := s.loaded
	s.mu.Unlock()
	if !loaded {
		if err := s.reconfigure(); err != nil {
			app.Logger().Error("notify settings", "error", err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enabled[ch]
}

// Settle is Flush when a message was queued since the last Flush, and
// nothing otherwise: tests end each request with it, so that the worker
// woken by a queued message is not saving while the test reads.
func Settle(app core.App) error {
	if serviceOf(app).queued.Load() == 0 {
		return nil
	}
	return Flush(app)
}

// Flush delivers everything due now, synchronously; for tests and
// commands that do not serve.
func Flush(app core.App) error {
	s := serviceOf(app)
	s.queued.Store(0)
	if !s.loaded {
		if err := s.reconfigure(); err != nil {
			return err
		}
	}
	for range 1000 {
		wake, err := s.worker.Tick(context.Background())
		if err != nil {
			return err
		}
		if wake.IsZero() || wake.After(s.now()) {
			return nil
		}
	}
	return errors.New("notify: the outbox did not settle")
}
