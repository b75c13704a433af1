package main

// Blank imports keep the modules the harness pins (but does not call yet) in go.mod,
// so `go mod tidy` does not drop them. They are the exact versions the Python
// implementation is checked against.
import (
	_ "github.com/boj/redistore"
	_ "github.com/boj/redistore/v2"
	_ "github.com/bradfitz/gomemcache/memcache"
	_ "github.com/bradleypeabody/gorilla-sessions-memcache"
	_ "github.com/gin-contrib/sessions"
	_ "github.com/gin-contrib/sessions/cookie"
	_ "github.com/gin-contrib/sessions/gorm"
	_ "github.com/gin-contrib/sessions/memcached"
	_ "github.com/gin-contrib/sessions/postgres"
	_ "github.com/gin-contrib/sessions/redis"
	_ "github.com/gin-gonic/gin"
	_ "github.com/gomodule/redigo/redis"
	_ "github.com/gorilla/securecookie"
	_ "github.com/gorilla/sessions"
	_ "github.com/quasoft/memstore"
	_ "github.com/wader/gormstore/v2"
	_ "gorm.io/driver/mysql"
	_ "gorm.io/driver/postgres"
	_ "gorm.io/driver/sqlite"
	_ "gorm.io/gorm"
)
