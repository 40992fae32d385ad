package domain

// Object-level access: who may see or act on which record. The use cases check these on every read and
// write; the HTTP side never decides access by itself beyond "is anyone logged in as this kind".
//
// The answers are chosen so that a caller learns nothing it may not know: an employer asking for another
// employer's record is told it does not exist (not_found), while station staff, who know the records
// exist, are told they are another station's (forbidden).

// CanSeeJob: a gig that passed review is public; one awaiting review or rejected is seen by its employer
// and the staff only.
func CanSeeJob(p Principal, j Job) bool { return j.PubliclyVisible() || OwnsOrStaffs(p, j) }

// OwnsOrStaffs reports whether p is the gig's employer or a console user.
func OwnsOrStaffs(p Principal, j Job) bool {
	return (p.Kind == AsEmployer && p.ID == j.EmployerID) || p.IsStaff()
}

// CanManageJob lets a gig's employer and its station's staff (and admins) act on it; another employer
// gets not_found, staff of another station forbidden.
func CanManageJob(p Principal, j Job) error {
	switch {
	case p.Kind == AsEmployer && p.ID == j.EmployerID:
		return nil
	case p.Kind == AsEmployer:
		return NotFound("零工岗位")
	case p.IsStaff() && p.CanManageStation(j.StationID):
		return nil
	case p.IsStaff():
		return Forbidden("只能处理本站点的零工岗位")
	}
	return NotFound("零工岗位")
}

// CanSeeContract is the rule for a contract: its two parties and the staff of its station (admins
// everywhere). Staff of another station are forbidden; anyone else is told it does not exist.
func CanSeeContract(p Principal, c Contract) error {
	switch {
	case p.Kind == AsWorker && p.ID == c.WorkerID, p.Kind == AsEmployer && p.ID == c.EmployerID:
		return nil
	case p.IsStaff() && p.CanManageStation(c.StationID):
		return nil
	case p.IsStaff():
		return Forbidden("只能查看本站点签发的合约")
	}
	return NotFound("合约")
}

// CanSeeWorker is the rule for a worker's personal data: the worker themself, admins, and the staff of
// the station the worker registered at. Other staff are forbidden.
func CanSeeWorker(p Principal, w Worker) error {
	switch {
	case p.Kind == AsWorker && p.ID == w.ID, p.CanManageStation(w.StationID):
		return nil
	case p.Kind == AsStaff:
		return Forbidden("这位零工在其他站点登记，个人信息只有登记站点的工作人员能查看")
	}
	return Forbidden("")
}

// RecordsOn reports whether p may record work, weigh tickets or payments on a contract: its employer, or
// staff of its station.
func RecordsOn(p Principal, c Contract) bool {
	return (p.Kind == AsEmployer && c.EmployerID == p.ID) || (p.IsStaff() && p.CanManageStation(c.StationID))
}
