#!/usr/bin/env bash
# Applies an overlay in the order a release needs: everything except the services (namespace,
# config, secrets, policies, collector, the dev databases, the migration Job), then waits for
# the migrations to complete, and only then rolls out the services.
#
#   deploy/k8s/apply.sh dev|prod
#
# KUBECTL picks another kubectl; MIGRATE_TIMEOUT_S (900) and POLL_S (5) tune the wait.
set -euo pipefail

kubectl=${KUBECTL:-kubectl}
overlay=${1:?usage: deploy/k8s/apply.sh <overlay>   (dev or prod)}
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/overlays/${overlay}"
[[ -f "${dir}/kustomization.yaml" ]] || { echo "apply.sh: no overlay at ${dir}" >&2; exit 2; }
namespace=$(sed -n 's/^namespace: *//p' "${dir}/kustomization.yaml")
[[ -n "${namespace}" ]] || { echo "apply.sh: ${dir}/kustomization.yaml sets no namespace" >&2; exit 2; }

rendered=$(mktemp)
trap 'rm -f "${rendered}"' EXIT
"${kubectl}" kustomize "${dir}" >"${rendered}"

# A Job's pod template cannot change: the previous release's Job goes before this one's comes.
"${kubectl}" delete job mesh-migrate --namespace "${namespace}" --ignore-not-found --wait=true
"${kubectl}" apply --filename "${rendered}" --selector 'app.kubernetes.io/component!=service'

deadline=$((SECONDS + ${MIGRATE_TIMEOUT_S:-900}))
while :; do
  conditions=$("${kubectl}" get job mesh-migrate --namespace "${namespace}" \
    --output 'jsonpath={.status.conditions[?(@.status=="True")].type}')
  case " ${conditions} " in
    *" Complete "*) break ;;
    *" Failed "*) failed="the migration Job failed" ;;
    *) ((SECONDS < deadline)) || failed="the migration Job did not complete in time" ;;
  esac
  if [[ -n "${failed:-}" ]]; then
    echo "apply.sh: ${failed}; the services were not rolled out. Its log:" >&2
    "${kubectl}" logs job/mesh-migrate --namespace "${namespace}" --tail=50 >&2 || true
    exit 1
  fi
  sleep "${POLL_S:-5}"
done

"${kubectl}" apply --filename "${rendered}"
for deployment in $("${kubectl}" get deployment --namespace "${namespace}" \
  --selector app.kubernetes.io/component=service --output name); do
  "${kubectl}" rollout status "${deployment}" --namespace "${namespace}" --timeout=600s
done
