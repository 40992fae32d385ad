package domain

import "time"

// PrincipalKind is the kind of caller behind a request.
type PrincipalKind string

const (
	Anonymous  PrincipalKind = ""
	AsWorker   PrincipalKind = "worker"
	AsEmployer PrincipalKind = "employer"
	AsStaff    PrincipalKind = "staff"
	AsAdmin    PrincipalKind = "admin"
)

// Principal is the authenticated caller: a worker (after SMS verification), an employer (API key), or a
// console user (staff of one station, or admin of all).
type Principal struct {
	Kind         PrincipalKind
	ID           int64 // worker, employer or staff id
	StationID    int64 // staff: their station; 0 for admin
	CredentialID int64 // session id or API key id, recorded in signatures and audit events
	SessionID    int64
	// WorkerVersion: for a worker's session, 1 + the worker's version number read with the session in this
	// request (it changes with every change to the worker, their tags or their applications); 0 when not
	// read. The store answers the worker's own matches from memory only at exactly this version.
	WorkerVersion int64
	// AdminKey: an employer calling with its administrator API key (may manage the employer's keys).
	AdminKey bool
	// MustChangePassword: a staff account whose password an admin reset; it may only change it (or log out).
	MustChangePassword bool
	// IP and UserAgent say where the request came from; audit events and signatures record them.
	IP, UserAgent string
}

// IsStaff reports whether p is a console user (staff or admin).
func (p Principal) IsStaff() bool { return p.Kind == AsStaff || p.Kind == AsAdmin }

// CanManageStation reports whether p may act on records of the given station: admins everywhere, staff
// only at their own station.
func (p Principal) CanManageStation(stationID int64) bool {
	return p.Kind == AsAdmin || (p.Kind == AsStaff && p.StationID == stationID)
}

// ActorKind is the actor_kind written to audit events.
func (p Principal) ActorKind() string {
	switch p.Kind {
	case AsAdmin, AsStaff:
		return "staff"
	case "":
		return "anonymous"
	}
	return string(p.Kind)
}

// Session is a login just created: the token is given to the client once; only its hash is stored.
type Session struct {
	ID        int64
	Token     string
	CSRFToken string // staff sessions: the token console forms must carry
	ExpiresAt time.Time
}

// NewStaff is a console account an admin creates: staff of one station, or another admin.
type NewStaff struct {
	Username    string
	DisplayName string
	Password    string
	Role        StaffRole
	StationID   int64
}
