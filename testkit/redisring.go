package testkit

import (
	"os/exec"
	"strconv"
	"testing"
)

// redisShards are redis-servers of the test binary apart from Redis's.
var redisShards [4]server

// RedisShard returns the address of the i-th (0 to 3) extra redis-server of
// the test binary: another server than Redis's and than every other
// shard's, started as Redis's is. They are the shards of a client-side
// sharded client (a go-redis Ring), which needs no cluster mode.
func RedisShard(t testing.TB, i int) string {
	t.Helper()
	if i < 0 || i >= len(redisShards) {
		t.Fatalf("testkit: RedisShard(%d): there are %d shards", i, len(redisShards))
	}
	return redisShards[i].get(t, "redis-server", "redis-server", func(bin, dir string, port int) (*exec.Cmd, error) {
		cmd := exec.Command(bin,
			"--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
			"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
		cmd.Dir = dir
		return cmd, nil
	}, redisPing)
}
