// Command pause is the process that holds a pod's namespaces open: PID 1 of every pod
// sandbox. It does nothing but wait: it exits 0 on SIGINT or SIGTERM (the runtime's stop)
// and, as a PID 1 must, reaps the children that processes in the pod leave behind.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is the upstream pause release this program stands in for (set with -ldflags -X).
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Printf("pause.go (cruddur stand-in) version: %s\n", version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "pause: warning: not running as PID 1")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reapChildren()
			continue
		}
		fmt.Fprintf(os.Stderr, "pause: shutting down, got signal: %v\n", sig)
		os.Exit(0)
	}
}

// reapChildren collects every exited child without blocking, so that orphans re-parented
// to PID 1 do not stay zombies.
func reapChildren() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
