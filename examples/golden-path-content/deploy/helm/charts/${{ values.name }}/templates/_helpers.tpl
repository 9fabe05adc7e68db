{{- define "${{ values.name }}.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "${{ values.name }}.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Acme's labels: team, tier and cost centre on every object, for chargeback and paging. */}}
{{- define "${{ values.name }}.labels" -}}
{{ include "${{ values.name }}.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
platform.acme.example/team: {{ .Values.platform.team | quote }}
platform.acme.example/tier: {{ .Values.platform.tier | quote }}
platform.acme.example/cost-centre: {{ .Values.platform.costCentre | quote }}
backstage.io/kubernetes-id: ${{ values.name }}
{{- end -}}
