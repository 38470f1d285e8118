{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "callosum-coordinator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name: "<release>-<chart>", or the release alone when it already contains the chart name. */}}
{{- define "callosum-coordinator.fullname" -}}
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

{{- define "callosum-coordinator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "callosum-coordinator.labels" -}}
helm.sh/chart: {{ include "callosum-coordinator.chart" . }}
{{ include "callosum-coordinator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: callosum
{{- end }}

{{- define "callosum-coordinator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "callosum-coordinator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: coordinator
{{- end }}

{{- define "callosum-coordinator.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "callosum-coordinator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "callosum-coordinator.postgresql.selectorLabels" -}}
app.kubernetes.io/name: {{ include "callosum-coordinator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "callosum-coordinator.postgresql.labels" -}}
helm.sh/chart: {{ include "callosum-coordinator.chart" . }}
{{ include "callosum-coordinator.postgresql.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: callosum
{{- end }}

{{/* The bundled database's password Secret: the operator's, or the one this chart creates. */}}
{{- define "callosum-coordinator.postgresql.secretName" -}}
{{- default (include "callosum-coordinator.postgresql.fullname" .) .Values.postgresql.bundled.existingSecret }}
{{- end }}

{{- define "callosum-coordinator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "callosum-coordinator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "callosum-coordinator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the chart mounts writable volumes and the TLS Secret (callosum.tls.dir); the ConfigMap points the coordinator at them. */}}
{{- define "callosum-coordinator.storageDir" -}}/var/lib/callosum/blobs{{- end }}
{{- define "callosum-coordinator.djlCacheDir" -}}/var/cache/djl{{- end }}
{{- define "callosum-coordinator.tlsDir" -}}/etc/callosum/tls{{- end }}

{{/*
Quarkus properties the chart owns, merged over .Values.settings. Env var names follow MicroProfile
Config's mapping: upper case, every character other than letters and digits becomes "_".
*/}}
{{- define "callosum-coordinator.properties" -}}
{{- $owned := dict
  "quarkus.http.port" 8080
  "quarkus.grpc.server.port" 9092
  "callosum.storage.dir" (include "callosum-coordinator.storageDir" .)
  "callosum.embedded-postgres.enabled" false
  "callosum.flower.plain-listener.enabled" .Values.flowerPlainListener.enabled
  "callosum.flower.plain-listener.port" .Values.flowerPlainListener.port
  "callosum.tls.enabled" .Values.tls.enabled
  "callosum.federation.secure-aggregation.enabled" .Values.federation.secureAggregation.enabled
  "callosum.federation.differential-privacy.noise-multiplier" .Values.federation.differentialPrivacy.noiseMultiplier
}}
{{- if .Values.tls.enabled }}
{{- /* The coordinator derives quarkus.grpc.server.ssl.* from this directory itself. */}}
{{- $_ := set $owned "callosum.tls.dir" (include "callosum-coordinator.tlsDir" .) }}
{{- end }}
{{- with .Values.federation.secureAggregation }}
{{- if .enabled }}
{{- $_ := set $owned "callosum.federation.secure-aggregation.clip" .clip }}
{{- $_ := set $owned "callosum.federation.secure-aggregation.stage-timeout" .stageTimeout }}
{{- end }}
{{- end }}
{{- with .Values.federation.differentialPrivacy }}
{{- if gt (float64 .noiseMultiplier) 0.0 }}
{{- $_ := set $owned "callosum.federation.differential-privacy.clip-norm" .clipNorm }}
{{- $_ := set $owned "callosum.federation.differential-privacy.delta" .delta }}
{{- end }}
{{- end }}
{{- toYaml (merge $owned (deepCopy .Values.settings)) }}
{{- end }}

{{/* A property's value as text. Helm reads every YAML number as a float, which would print 67108864 as 6.7108864e+07. */}}
{{- define "callosum-coordinator.propertyValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- end }}

{{- define "callosum-coordinator.envName" -}}
{{- regexReplaceAll "[^A-Z0-9]" (upper .) "_" }}
{{- end }}

{{/* The database connection: the bundled StatefulSet's Service, or the operator's Secret. */}}
{{- define "callosum-coordinator.datasourceEnv" -}}
{{- if eq .Values.postgresql.mode "external" }}
{{- with .Values.postgresql.external }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .jdbcUrlKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .usernameKey }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .passwordKey }}
{{- end }}
{{- else }}
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ printf "jdbc:postgresql://%s:5432/%s" (include "callosum-coordinator.postgresql.fullname" .) .Values.postgresql.bundled.database | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ .Values.postgresql.bundled.username | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "callosum-coordinator.postgresql.secretName" . }}
      key: {{ .Values.postgresql.bundled.passwordKey }}
{{- end }}
{{- end }}
