{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "callosum-site-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped name: "<release>-<chart>", or the release alone when it already contains the chart name. */}}
{{- define "callosum-site-agent.fullname" -}}
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

{{- define "callosum-site-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "callosum-site-agent.labels" -}}
helm.sh/chart: {{ include "callosum-site-agent.chart" . }}
{{ include "callosum-site-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: callosum
{{- end }}

{{- define "callosum-site-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "callosum-site-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: site-agent
{{- end }}

{{- define "callosum-site-agent.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Where the chart mounts the data, the writable volumes and the TLS Secret. */}}
{{- define "callosum-site-agent.dataDir" -}}/data{{- end }}
{{- define "callosum-site-agent.djlCacheDir" -}}/var/cache/djl{{- end }}
{{- define "callosum-site-agent.tlsDir" -}}/etc/callosum/tls{{- end }}

{{- define "callosum-site-agent.ledgerDir" -}}/var/lib/callosum/privacy{{- end }}

{{/* The agent's TLS flags, each naming the file the Secret's volume mounts under its fixed name. */}}
{{- define "callosum-site-agent.tlsArgs" -}}
{{- $tlsDir := include "callosum-site-agent.tlsDir" . -}}
- --ca
- {{ printf "%s/ca.crt" $tlsDir | quote }}
- --cert
- {{ printf "%s/tls.crt" $tlsDir | quote }}
- --key
- {{ printf "%s/tls.key" $tlsDir | quote }}
{{- end }}

{{/* The port of coordinator.address (HOST:PORT; the schema checks the form). */}}
{{- define "callosum-site-agent.coordinatorPort" -}}
{{- regexReplaceAll "^.*:" .Values.coordinator.address "" }}
{{- end }}
