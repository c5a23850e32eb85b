// The pod sandbox's placeholder process (registry.k8s.io/pause stand-in), built by
// k8s/node-image/build.sh.
module cruddur.local/node-image/pause

go 1.24.0
