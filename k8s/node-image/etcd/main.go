// Command etcd is etcd's own server entry point (the same call the upstream binary's main
// makes), built from the go.etcd.io/etcd/server/v3 module for the registry.k8s.io/etcd
// stand-in image of the local kind node image.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
