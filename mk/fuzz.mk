# Contract fuzzing: Schemathesis (installed by mk/tools.mk into .tools/schemathesis) against
# the OpenAPI document the gateway serves, on the six services traced on loopback
# (packages/fuzz). `make test` runs the short, fixed-seed profile; `make fuzz` the full one.

.PHONY: fuzz test-fuzz
fuzz: build schemathesis postgres ## Fuzz the API with Schemathesis, every check and phase, a new seed each run (FUZZ_SEED=… repeats one; about 1.5 minutes)
	SCHEMATHESIS_BIN='$(SCHEMATHESIS)' node packages/fuzz/dist/main.js full

test-fuzz: build schemathesis postgres ## The short, fixed-seed fuzz run make test includes (about 30 s)
	SCHEMATHESIS_BIN='$(SCHEMATHESIS)' node packages/fuzz/dist/main.js short
