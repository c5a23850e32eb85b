{{/*
Pieces of the collector containers that the DaemonSet and the samplers share: the
environment their config overlays read, and the health probes.
*/}}

{{/* GOMEMLIMIT and the memory_limiter's settings for a container limit in MiB (the argument). */}}
{{- define "cruddur.collector.memoryEnv" -}}
- name: GOMEMLIMIT
  value: {{ printf "%sMiB" (include "cruddur.collector.memoryLimiterMiB" .) | quote }}
- name: MEMORY_LIMIT_MIB
  value: {{ include "cruddur.collector.memoryLimiterMiB" . | quote }}
- name: MEMORY_SPIKE_LIMIT_MIB
  value: {{ include "cruddur.collector.memorySpikeMiB" . | quote }}
{{- end }}

{{/* What the backend overlays read (Jaeger's address, Honeycomb's endpoint and key, the debug log), for the tier that exports to them. */}}
{{- define "cruddur.collector.backendEnv" -}}
{{- if include "cruddur.jaeger.enabled" . }}
- name: JAEGER_ENDPOINT
  value: {{ printf "%s:4317" (include "cruddur.componentName" (dict "root" . "component" "jaeger")) | quote }}
{{- end }}
{{- if include "cruddur.honeycomb.enabled" . }}
- name: HONEYCOMB_ENDPOINT
  value: {{ .Values.honeycomb.endpoint | default (ternary "https://api.eu1.honeycomb.io:443" "https://api.honeycomb.io:443" (eq .Values.honeycomb.region "eu")) | quote }}
- name: HONEYCOMB_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "cruddur.honeycomb.secretName" . }}
      key: {{ .Values.honeycomb.secretKey }}
{{- end }}
{{- if .Values.collector.debug.enabled }}
- name: DEBUG_VERBOSITY
  value: {{ .Values.collector.debug.verbosity | quote }}
{{- end }}
{{- end }}

{{/* The health_check extension's probes: 200 once the pipelines run. */}}
{{- define "cruddur.collector.probes" -}}
startupProbe:
  httpGet:
    path: /
    port: health
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /
    port: health
  periodSeconds: 10
  timeoutSeconds: 2
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /
    port: health
  periodSeconds: 5
  timeoutSeconds: 2
  failureThreshold: 2
{{- end }}
