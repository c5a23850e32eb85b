{{/*
Names and labels. Every object is named <fullname>-<component>; a pod's selector labels are
name + instance + component, so one release's selectors never match another's pods.
*/}}
{{- define "cruddur.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cruddur.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* <fullname>-<component>, e.g. cruddur-gateway. Call with (dict "root" $ "component" "gateway"). */}}
{{- define "cruddur.componentName" -}}
{{- printf "%s-%s" (include "cruddur.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cruddur.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cruddur.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "cruddur.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cruddur.selectorLabels" . }}
app.kubernetes.io/part-of: cruddur
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/*
The restricted Pod Security profile, pod and container halves. uid/gid: the image's user
(1000 = node in the official Node image; 10001 in the collector and Jaeger images).
*/}}
{{- define "cruddur.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "cruddur.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ .readOnlyRootFilesystem }}
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* image reference: repository:tag, or repository@digest when the tag is a digest. */}}
{{- define "cruddur.image" -}}
{{- if hasPrefix "sha256:" .tag }}
{{- printf "%s@%s" .repository .tag }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{/*
One service's settings: serviceDefaults deep-merged with services.<name>. Returns YAML
(fromYaml it). replicas is taken with hasKey, because merging skips zero values.
Call with (dict "root" $ "name" "gateway").
*/}}
{{- define "cruddur.serviceConfig" -}}
{{- $own := index .root.Values.services .name }}
{{- $cfg := mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own) }}
{{- if hasKey $own "replicas" }}
{{- $_ := set $cfg "replicas" $own.replicas }}
{{- end }}
{{- if not $cfg.image.repository }}
{{- $_ := set $cfg.image "repository" (printf "cruddur/%s" .name) }}
{{- end }}
{{- toYaml $cfg }}
{{- end }}

{{/* The services of the call graph behind the gateway, as a JSON list: the gateway and every
service some service calls (the frontend's server calls none, and none calls it). */}}
{{- define "cruddur.callGraph" -}}
{{- $names := list "gateway" }}
{{- range $name, $svc := .Values.services }}
{{- $names = concat $names (default list $svc.calls) }}
{{- end }}
{{- $names | uniq | sortAlpha | toJson }}
{{- end }}

{{/* Honeycomb is on: "true" or "". */}}
{{- define "cruddur.honeycomb.enabled" -}}
{{- if .Values.honeycomb.enabled }}true{{ end }}
{{- end }}

{{/* Jaeger is deployed: "true" or "". auto = deployed unless Honeycomb is on. */}}
{{- define "cruddur.jaeger.enabled" -}}
{{- if eq (toString .Values.jaeger.enabled) "auto" }}
{{- if not .Values.honeycomb.enabled }}true{{ end }}
{{- else if .Values.jaeger.enabled }}true{{ end }}
{{- end }}

{{/* The Secret holding the Honeycomb key: the user's, or the one this chart creates. */}}
{{- define "cruddur.honeycomb.secretName" -}}
{{- if .Values.honeycomb.existingSecret }}
{{- .Values.honeycomb.existingSecret }}
{{- else }}
{{- include "cruddur.componentName" (dict "root" . "component" "honeycomb") }}
{{- end }}
{{- end }}

{{/* The two-tier tail sampling is on: "true" or "". */}}
{{- define "cruddur.tail.enabled" -}}
{{- if .Values.sampling.tail.enabled }}true{{ end }}
{{- end }}

{{/* The backend overlays, comma-separated: one per backend that is on, then the debug log. */}}
{{- define "cruddur.backendOverlays" -}}
{{- $list := list }}
{{- if include "cruddur.honeycomb.enabled" . }}{{ $list = append $list "honeycomb" }}{{ end }}
{{- if include "cruddur.jaeger.enabled" . }}{{ $list = append $list "jaeger" }}{{ end }}
{{- if .Values.collector.debug.enabled }}{{ $list = append $list "debug" }}{{ end }}
{{- join "," $list }}
{{- end }}

{{/*
The DaemonSet's config overlays, in --config order, comma-separated: base and k8s always,
then the backends, or with tail sampling the hop to the samplers in their place.
Files: files/collector/<name>.yaml.
*/}}
{{- define "cruddur.collector.overlays" -}}
{{- if include "cruddur.tail.enabled" . }}
{{- join "," (list "base" "k8s" "agent-tail" "samplers-k8s") }}
{{- else }}
{{- join "," (concat (list "base" "k8s") (compact (splitList "," (include "cruddur.backendOverlays" .)))) }}
{{- end }}
{{- end }}

{{/* The samplers' config overlays: base, the sampling, then the backends. */}}
{{- define "cruddur.sampler.overlays" -}}
{{- join "," (concat (list "base" "sampler") (compact (splitList "," (include "cruddur.backendOverlays" .)))) }}
{{- end }}

{{/* The feature gate the samplers run with: the deciding policy's name on every kept span, which the SampleRate transform reads. */}}
{{- define "cruddur.sampler.featureGates" -}}processor.tailsamplingprocessor.recordpolicy{{- end }}

{{/* SampleRate for a kept share in percent: how many traces each kept one stands for. */}}
{{- define "cruddur.sampler.sampleRate" -}}
{{- printf "%.0f" (divf 100.0 .) }}
{{- end }}

{{/* Where the collector config is mounted in its container. */}}
{{- define "cruddur.collector.configDir" -}}
/etc/otelcol-cruddur
{{- end }}

{{/*
Memory, all from a container's memory limit in MiB (collector.memoryLimitMiB,
sampling.tail.memoryLimitMiB): the memory_limiter's hard limit and GOMEMLIMIT at 80 % of it
(the Go GC works hard before the limiter refuses data), the limiter's spike allowance at
20 % of the limit, so it starts refusing at 60 %. Called with the limit.
*/}}
{{- define "cruddur.collector.memoryLimiterMiB" -}}
{{- div (mul . 80) 100 }}
{{- end }}
{{- define "cruddur.collector.memorySpikeMiB" -}}
{{- div (mul . 20) 100 }}
{{- end }}

{{/* OTLP/HTTP port of the collector: the receiver's default in files/collector/base.yaml. */}}
{{- define "cruddur.collector.otlpHttpPort" -}}4318{{- end }}
{{- define "cruddur.collector.otlpGrpcPort" -}}4317{{- end }}
{{- define "cruddur.collector.healthPort" -}}13133{{- end }}
{{- define "cruddur.collector.metricsPort" -}}8888{{- end }}

{{/* The fault flags' file, flagd's format: faultFlags.definitions, else the chart's files/flags.json (every flag off). */}}
{{- define "cruddur.faultFlags.definitions" -}}
{{- default (.Files.Get "files/flags.json") .Values.faultFlags.definitions }}
{{- end }}

{{/* Where a service pod finds that file: its ConfigMap, mounted whole (a subPath mount would never see an update). */}}
{{- define "cruddur.faultFlags.dir" -}}/etc/cruddur/fault-flags{{- end }}

{{/* Checks that stop a render with a message a person can act on. */}}
{{- define "cruddur.validate" -}}
{{- if and .Values.honeycomb.enabled (not .Values.honeycomb.apiKey) (not .Values.honeycomb.existingSecret) }}
{{- fail "honeycomb.enabled is true: set honeycomb.apiKey (the chart creates a Secret) or honeycomb.existingSecret (the name of your Secret)" }}
{{- end }}
{{- if and (not .Values.honeycomb.enabled) (or .Values.honeycomb.apiKey .Values.honeycomb.existingSecret) }}
{{- fail "a Honeycomb key is given (honeycomb.apiKey or honeycomb.existingSecret) but honeycomb.enabled is false: set honeycomb.enabled=true to send traces to Honeycomb, or drop the key" }}
{{- end }}
{{- if and .Values.honeycomb.apiKey .Values.honeycomb.existingSecret }}
{{- fail "set honeycomb.apiKey or honeycomb.existingSecret, not both" }}
{{- end }}
{{- if not (or (include "cruddur.honeycomb.enabled" .) (include "cruddur.jaeger.enabled" .) .Values.collector.debug.enabled) }}
{{- fail "no trace backend: enable honeycomb, jaeger (true or auto) or collector.debug" }}
{{- end }}
{{- if and (include "cruddur.tail.enabled" .) (lt (int .Values.sampling.tail.replicas) 1) }}
{{- fail "sampling.tail.enabled is true with no samplers: set sampling.tail.replicas to 1 or more (2 or more to survive losing one)" }}
{{- end }}
{{- if gt (int .Values.telemetry.batch.maxExportBatchSize) (int .Values.telemetry.batch.maxQueueSize) }}
{{- fail "telemetry.batch.maxExportBatchSize must not exceed telemetry.batch.maxQueueSize (the services would refuse to start)" }}
{{- end }}
{{- if .Values.faultFlags.enabled }}
{{- $flags := include "cruddur.faultFlags.definitions" . | fromJson }}
{{- if hasKey $flags "Error" }}
{{- fail (printf "faultFlags.definitions is not JSON (%s): give a flagd flag-definition file, e.g. --set-file faultFlags.definitions=my-flags.json" $flags.Error) }}
{{- end }}
{{- if not (kindIs "map" (get $flags "flags")) }}
{{- fail "faultFlags.definitions has no \"flags\" object: flagd's format is {\"flags\": {\"<key>\": {\"state\", \"variants\", \"defaultVariant\"}}} (charts/cruddur/files/flags.json)" }}
{{- end }}
{{- end }}
{{- $reached := list "gateway" }}
{{- range .Values.tests.routes }}
{{- $reached = concat $reached .reaches }}
{{- range $service := .reaches }}
{{- if not (hasKey $.Values.services $service) }}
{{- fail (printf "tests.routes: %q is not a service of this chart" $service) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $name := include "cruddur.callGraph" . | fromJsonArray }}
{{- if not (has $name $reached) }}
{{- fail (printf "tests.routes: no route reaches %q, so helm test would leave its edges unchecked: add a route through it (a path and the services it reaches)" $name) }}
{{- end }}
{{- end }}
{{- range $name, $svc := .Values.services }}
{{- range $callee := (default list $svc.calls) }}
{{- if not (hasKey $.Values.services $callee) }}
{{- fail (printf "services.%s.calls: %q is not a service of this chart" $name $callee) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* The services that keep data in PostgreSQL (services.<name>.store), as a JSON list. */}}
{{- define "cruddur.storeServices" -}}
{{- $names := list }}
{{- range $name := keys .Values.services | sortAlpha }}
{{- if (index $.Values.services $name).store }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- $names | toJson }}
{{- end }}

{{/* The Secret holding PostgreSQL's passwords: the user's, or the one this chart makes. */}}
{{- define "cruddur.postgres.secretName" -}}
{{- .Values.postgres.existingSecret | default (include "cruddur.componentName" (dict "root" . "component" "postgres")) }}
{{- end }}

{{/* That Secret's keys: admin-password, then <service>-password for each data-keeping service. */}}
{{- define "cruddur.postgres.secretKeys" -}}
{{- $keys := list "admin-password" }}
{{- range $name := include "cruddur.storeServices" . | fromJsonArray }}{{ $keys = append $keys (printf "%s-password" $name) }}{{ end }}
{{- $keys | toJson }}
{{- end }}

{{/* One step of the store-setup Job: `setup <name>` in that service's image. Call with (dict "root" $ "name" "activities" "env" $env). */}}
{{- define "cruddur.storeSetupContainer" -}}
{{- $svc := include "cruddur.serviceConfig" (dict "root" .root "name" .name) | fromYaml }}
- name: setup-{{ .name }}
  image: {{ include "cruddur.image" $svc.image | quote }}
  imagePullPolicy: {{ $svc.image.pullPolicy }}
  command: [node, packages/store-kit/dist/cli.js, setup, {{ .name | quote }}]
  env:
    {{- toYaml .env | nindent 4 }}
  resources:
    requests:
      cpu: 25m
      memory: 64Mi
    limits:
      cpu: 500m
      memory: 192Mi
  securityContext:
    {{- include "cruddur.containerSecurityContext" (dict "readOnlyRootFilesystem" true) | nindent 4 }}
{{- end }}
