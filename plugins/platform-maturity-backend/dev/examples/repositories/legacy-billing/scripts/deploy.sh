#!/usr/bin/env bash
# Copies the WAR of the last successful Jenkins build to one Tomcat host and restarts Tomcat.
# Usage: scripts/deploy.sh tomcat-03.internal.acme.example
set -euo pipefail

host="${1:?usage: deploy.sh <host>}"
war_url="https://jenkins.acme.example/job/payments/job/legacy-billing/lastSuccessfulBuild/artifact/target/legacy-billing.war"

curl -fsSL --netrc -o /tmp/legacy-billing.war "$war_url"
scp /tmp/legacy-billing.war "deploy@${host}:/opt/tomcat/webapps/billing.war"
ssh "deploy@${host}" 'sudo systemctl restart tomcat'
