package main

// gin_serve.go — the `gin-serve` subcommand: a small, REAL Gin app (gin-gonic/gin v1.10.1) on
// gin-contrib/sessions v1.0.4, listening on 127.0.0.1 only, so live tests can share sessions
// between a Gin app and the Python stores over loopback HTTP (tests/gin/, tests/e2e/test_browser_gin.py).
//
//   go-harness gin-serve -backend B -port 0 -name session -hash-key HEX [-block-key HEX] ... \
//       [-max-age N] [-options 'Path=/,MaxAge=N,Secure=false,HttpOnly=true,SameSite=lax,Domain=d']
//
// The store comes from gin-contrib's own constructor for backend B, and the app uses
// sessions.Sessions(name, store) plus sessions.Default(c) exactly as a Gin app does:
//
//   cookie         cookie.NewStore(keyPairs...)                         (gorilla CookieStore)
//   redis          redis.NewStore(size, "tcp", -redis-addr, "", "", keyPairs...)  (boj/redistore v1.4.2)
//                  [+ redis.SetKeyPrefix(store, -redis-prefix)]
//   postgres       postgres.NewStore(sql.Open("postgres", -pg-dsn), keyPairs...)  (antonlindstrom/pgstore)
//   memcached      memcached.NewStore(memcache.New(-memcached-addr), -memcached-prefix, keyPairs...)
//                  (bradleypeabody/gorilla-sessions-memcache, StoreMethodSecureCookie)
//   gorm-sqlite    gorm.NewStore(gorm.Open(sqlite.Open(-gorm-dsn)), -gorm-cleanup, keyPairs...)
//   gorm-postgres  … postgres.Open(-gorm-dsn) …    gorm-mysql … mysql.Open(-gorm-dsn) …  (wader/gormstore/v2)
//
// -max-age N calls the wrapped store's own setter (CookieStore/PGStore/gormstore MaxAge, RediStore
// SetMaxAge: Options.MaxAge and every codec's MaxAge); gin-contrib's Store interface has none, and
// the memcached store has no setter at all. -options calls gin-contrib's store.Options(Options{…}),
// which REPLACES the store's Options with the struct literal given (fields not named are zero:
// no Path, MaxAge 0, …) and leaves the codecs' MaxAge alone — what `store.Options(…)` does in Gin apps.
//
// It prints "ready 127.0.0.1:<port>" on stdout once listening (tests/e2e/_servers.py GoServer).
// Routes (all GET, all JSON; the handlers use only gin-contrib's Session methods, and only routes
// that call Set/Delete/Clear/AddFlash/Flashes/Options write a Set-Cookie, since Save() is a no-op
// for an untouched session):
//
//   /login?user=U              Set("user", U); Save()
//   /whoami                    nothing (read only, no Set-Cookie)
//   /set?values=TYPED[&clear=1]  [Clear();] Set(k, v) for each pair of a typed-view map (jsonview.go's
//                              fromTypedView: main.Person, time.Time, int64, … as real Go values); Save()
//   /delete?key=K              Delete(K); Save()
//   /clear                     Clear(); Save()
//   /flash?msg=M[&key=K]       AddFlash(M[, K]); Save()
//   /flashes[?key=K]           Flashes([K]); Save()
//   /options?o=SPEC            Options(SPEC, the -options syntax); Save()
//   /logout                    Clear(); Options(Options{Path: "/", MaxAge: -1}); Save()
//
// Every answer is serve.go's: {"name", "is_new", "id", "error", "save_error", "values", "typed",
// "set_cookie"} (+ the route's own members). gin-contrib only logs the error of the store's Get;
// the app shows it by asking the store again, which answers from the request's gorilla registry
// (the same session and error gin-contrib got). Logging (gin, gorm, gin-contrib's slog) is off
// unless -log, so a busy server never blocks on a full stderr pipe.

import (
	"database/sql"
	"encoding/gob"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/bradfitz/gomemcache/memcache"
	"github.com/gin-contrib/sessions"
	"github.com/gin-contrib/sessions/cookie"
	ginGorm "github.com/gin-contrib/sessions/gorm"
	"github.com/gin-contrib/sessions/memcached"
	"github.com/gin-contrib/sessions/postgres"
	ginRedis "github.com/gin-contrib/sessions/redis"
	"github.com/gin-gonic/gin"
	gormMySQL "gorm.io/driver/mysql"
	gormPostgres "gorm.io/driver/postgres"
	gormSQLite "gorm.io/driver/sqlite"
	"gorm.io/gorm"
	gormLogger "gorm.io/gorm/logger"
)

func init() {
	commands["gin-serve"] = cmdGinServe
	// What a Gin app would register for its own struct is registered by types.go (main.Person, …).
	gob.Register(map[string]interface{}{})
}

// ginOptionsFlag is a gin-contrib sessions.Options struct literal: "Path=/,MaxAge=60,…".
type ginOptionsFlag struct {
	set  bool
	opts sessions.Options
}

func (f *ginOptionsFlag) String() string { return fmt.Sprintf("%+v", f.opts) }
func (f *ginOptionsFlag) Set(s string) error {
	o, err := parseGinOptions(s)
	if err != nil {
		return err
	}
	f.set, f.opts = true, o
	return nil
}

// parseGinOptions reads "Field=value" pairs, comma separated; fields not named stay zero, as in
// a Go struct literal. SameSite takes serve.go's names (default, lax, strict, none, unset).
func parseGinOptions(spec string) (sessions.Options, error) {
	var o sessions.Options
	for _, part := range strings.Split(spec, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return o, fmt.Errorf("options: %q is not Field=value", part)
		}
		var err error
		switch k {
		case "Path":
			o.Path = v
		case "Domain":
			o.Domain = v
		case "MaxAge":
			o.MaxAge, err = strconv.Atoi(v)
		case "Secure":
			o.Secure, err = strconv.ParseBool(v)
		case "HttpOnly":
			o.HttpOnly, err = strconv.ParseBool(v)
		case "SameSite":
			o.SameSite, err = parseSameSite(v)
		default:
			return o, fmt.Errorf("options: unknown field %q (Path, Domain, MaxAge, Secure, HttpOnly, SameSite)", k)
		}
		if err != nil {
			return o, fmt.Errorf("options: %s: %v", k, err)
		}
	}
	return o, nil
}

type ginBackendFlags struct {
	redisAddr, redisPrefix       *string
	redisPool                    *int
	pgDSN                        *string
	memcachedAddr, memcachedPref *string
	gormDSN                      *string
	gormCleanup                  *bool
}

func addGinBackendFlags(fs *flag.FlagSet) *ginBackendFlags {
	return &ginBackendFlags{
		redisAddr:     fs.String("redis-addr", "", "redis: host:port"),
		redisPrefix:   fs.String("redis-prefix", "", "redis: key prefix via redis.SetKeyPrefix (empty = redistore's session_)"),
		redisPool:     fs.Int("redis-pool", 10, "redis: NewStore size (max idle connections)"),
		pgDSN:         fs.String("pg-dsn", "", "postgres: lib/pq DSN for sql.Open(\"postgres\", …)"),
		memcachedAddr: fs.String("memcached-addr", "", "memcached: host:port"),
		memcachedPref: fs.String("memcached-prefix", "", "memcached: keyPrefix"),
		gormDSN:       fs.String("gorm-dsn", "", "gorm-*: the driver's DSN (sqlite: a file path)"),
		gormCleanup:   fs.Bool("gorm-cleanup", false, "gorm-*: NewStore's expiredSessionCleanup (hourly)"),
	}
}

// open builds gin-contrib's store for the backend.
func (f *ginBackendFlags) open(backend string, pairs [][]byte) (sessions.Store, error) {
	need := func(v *string, flagName string) error {
		if *v == "" {
			return fmt.Errorf("-backend %s needs -%s", backend, flagName)
		}
		return nil
	}
	switch backend {
	case "cookie":
		return cookie.NewStore(pairs...), nil
	case "redis":
		if err := need(f.redisAddr, "redis-addr"); err != nil {
			return nil, err
		}
		s, err := ginRedis.NewStore(*f.redisPool, "tcp", *f.redisAddr, "", "", pairs...)
		if err != nil {
			return nil, err
		}
		if *f.redisPrefix != "" {
			if err := ginRedis.SetKeyPrefix(s, *f.redisPrefix); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "postgres":
		if err := need(f.pgDSN, "pg-dsn"); err != nil {
			return nil, err
		}
		db, err := sql.Open("postgres", *f.pgDSN)
		if err != nil {
			return nil, err
		}
		return postgres.NewStore(db, pairs...)
	case "memcached":
		if err := need(f.memcachedAddr, "memcached-addr"); err != nil {
			return nil, err
		}
		return memcached.NewStore(memcache.New(*f.memcachedAddr), *f.memcachedPref, pairs...), nil
	case "gorm-sqlite", "gorm-postgres", "gorm-mysql":
		if err := need(f.gormDSN, "gorm-dsn"); err != nil {
			return nil, err
		}
		var dialector gorm.Dialector
		switch backend {
		case "gorm-sqlite":
			dialector = gormSQLite.Open(*f.gormDSN)
		case "gorm-postgres":
			dialector = gormPostgres.Open(*f.gormDSN)
		default:
			dialector = gormMySQL.Open(*f.gormDSN)
		}
		db, err := gorm.Open(dialector, &gorm.Config{Logger: gormLogger.Default.LogMode(gormLogger.Silent)})
		if err != nil {
			return nil, err
		}
		return ginGorm.NewStore(db, *f.gormCleanup, pairs...), nil
	}
	return nil, fmt.Errorf("-backend must be cookie, redis, postgres, memcached, gorm-sqlite, gorm-postgres or gorm-mysql, not %q", backend)
}

// setStoreMaxAge calls the wrapped store's own MaxAge setter (promoted through gin-contrib's
// wrapper type): Options.MaxAge and the codecs' MaxAge.
func setStoreMaxAge(store sessions.Store, backend string, age int) error {
	switch s := store.(type) {
	case interface{ MaxAge(int) }: // gorilla CookieStore, pgstore, gormstore
		s.MaxAge(age)
	case interface{ SetMaxAge(int) }: // boj/redistore
		s.SetMaxAge(age)
	default:
		return fmt.Errorf("-max-age: the %s store has no MaxAge setter (use -options MaxAge=N)", backend)
	}
	return nil
}

func cmdGinServe(args []string) error {
	fs := flag.NewFlagSet("gin-serve", flag.ContinueOnError)
	lb := addLoopbackFlags(fs)
	name := fs.String("name", "session", "session (cookie) name for sessions.Sessions")
	backend := fs.String("backend", "cookie", "cookie | redis | postgres | memcached | gorm-sqlite | gorm-postgres | gorm-mysql")
	keys := addKeyFlags(fs)
	maxAge := fs.Int("max-age", -2, "the wrapped store's MaxAge(N) (codecs and Options); -2 = keep the default")
	var options ginOptionsFlag
	fs.Var(&options, "options", "call store.Options(sessions.Options{…}): Path=/,MaxAge=N,Secure=b,HttpOnly=b,SameSite=s,Domain=d")
	logs := fs.Bool("log", false, "keep gin's, gorm's and gin-contrib's logging (on stderr)")
	bf := addGinBackendFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	pairs, err := keys.pairs()
	if err != nil {
		return err
	}
	if !*logs {
		log.SetOutput(io.Discard)
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
		gin.DefaultWriter, gin.DefaultErrorWriter = io.Discard, io.Discard
	}
	gin.SetMode(gin.ReleaseMode)

	store, err := bf.open(*backend, pairs)
	if err != nil {
		return err
	}
	if *maxAge != -2 {
		if err := setStoreMaxAge(store, *backend, *maxAge); err != nil {
			return err
		}
	}
	if options.set {
		store.Options(options.opts)
	}

	ln, err := lb.listen()
	if err != nil {
		return err
	}
	app := &serveApp{store: store, name: *name}
	r := gin.New()
	r.Use(ginJSONRecovery, sessions.Sessions(*name, store))
	r.GET("/login", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		s.Set("user", c.Query("user"))
		return out
	}))
	r.GET("/whoami", app.route(func(c *gin.Context, s sessions.Session, out obj) obj { return out }))
	r.GET("/set", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		if c.Query("clear") != "" {
			s.Clear()
		}
		for k, v := range ginTypedMap(c.Query("values")) {
			s.Set(k, v)
		}
		return out
	}))
	r.GET("/delete", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		s.Delete(c.Query("key"))
		return out
	}))
	r.GET("/clear", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		s.Clear()
		return out
	}))
	r.GET("/flash", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		s.AddFlash(c.Query("msg"), flashKey(c.Request)...)
		return out
	}))
	r.GET("/flashes", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		f := s.Flashes(flashKey(c.Request)...)
		return append(out, kv{"flashes", plainView(f)}, kv{"flashes_typed", typedView(f)})
	}))
	r.GET("/options", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		o, err := parseGinOptions(c.Query("o"))
		if err != nil {
			panic(err.Error())
		}
		s.Options(o)
		return out
	}))
	r.GET("/logout", app.route(func(c *gin.Context, s sessions.Session, out obj) obj {
		s.Clear()
		s.Options(sessions.Options{Path: "/", MaxAge: -1})
		return out
	}))

	return lb.serve(ln, r)
}

// ginTypedMap turns a typed-view map (jsonview.md) into its Go values; it panics (→ 500) on a bad one.
func ginTypedMap(text string) map[interface{}]interface{} {
	if text == "" {
		return nil
	}
	v, err := typedValue([]byte(text))
	if err != nil {
		panic(fmt.Sprintf("values: %v", err))
	}
	m, err := valuesMap(v)
	if err != nil {
		panic(err.Error())
	}
	return m
}

// ginJSONRecovery answers a panic with 500 {"panic": text}, as serve.go's handle does.
func ginJSONRecovery(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			writePanic(c.Writer, p)
			c.Abort()
		}
	}()
	c.Next()
}

// route runs fn on gin-contrib's session, calls Save() (a no-op unless fn touched the session)
// and answers serve.go's JSON view of the gorilla session underneath.
func (a *serveApp) route(fn func(*gin.Context, sessions.Session, obj) obj) gin.HandlerFunc {
	return func(c *gin.Context) {
		s := sessions.Default(c)
		out := fn(c, s, obj{})
		var saveErr any
		if err := s.Save(); err != nil {
			saveErr = err.Error()
		}
		gs, getErr := a.store.Get(c.Request, a.name) // the registry's: gin-contrib's session and error
		if gs == nil {
			writeJSON(c.Writer, http.StatusInternalServerError, obj{{"error", errText(getErr)}})
			return
		}
		writeJSON(c.Writer, http.StatusOK, append(sessionAnswer(gs, getErr, saveErr, c.Writer.Header()), out...))
	}
}
