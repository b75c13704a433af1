module gorillacompat/go-harness

go 1.23

require (
	github.com/antonlindstrom/pgstore v0.0.0-20220421113606-e3a6e3fed12a
	github.com/boj/redistore v1.4.2
	github.com/boj/redistore/v2 v2.0.1
	github.com/gomodule/redigo v1.9.3
	github.com/gorilla/csrf v1.7.3
	github.com/gorilla/securecookie v1.1.2
	github.com/gorilla/sessions v1.4.0
	github.com/quasoft/memstore v0.0.0-20180925164028-84a050167438
	github.com/rbcervilla/redisstore/v9 v9.0.0
	github.com/redis/go-redis/v9 v9.0.2
)

require (
	github.com/cespare/xxhash/v2 v2.2.0 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/lib/pq v1.10.9 // indirect
)
