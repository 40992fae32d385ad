package api

import (
	"database/sql"

	"lingong/app"
)

// testServer builds the service as cmd does: the use cases over deps, the HTTP side over them. The
// secret key and public URL given to the HTTP side are the use cases' too, unless ao names its own.
func testServer(o Options, ao app.Options, d app.Deps) *Server {
	if len(ao.SecretKey) == 0 {
		ao.SecretKey = o.SecretKey
	}
	if o.Production {
		ao.Production = true
	}
	if ao.PublicURL == "" {
		ao.PublicURL = o.PublicURL
	}
	var pool Pool
	if ps, ok := d.Store.(interface{ PoolStats() sql.DBStats }); ok {
		pool = ps.PoolStats
	}
	return New(o, Deps{App: app.New(ao, d), Pool: pool, Logger: d.Logger})
}
