//go:build !linux

package samples

import (
	"errors"
	"net"
	"time"
)

func dialIn(pid int, addr string, timeout time.Duration) (net.Conn, error) {
	return nil, errors.New("network namespaces need Linux")
}

func gone(pid int, d time.Duration) bool { return true }
