#!/usr/bin/env bash
# A self-signed TLS certificate for nginx (a demo or a test, not for visitors: browsers warn).
#   scripts/self-signed-cert.sh HOST [FOLDER]   -> FOLDER/cert.pem, FOLDER/key.pem (600)
# FOLDER defaults to deploy/nginx/private/tls, which docker-compose mounts into nginx.
# For a real site use a certificate from a CA (e.g. Let's Encrypt): see docs/security.md.
set -euo pipefail
host="${1:?usage: $0 HOST [FOLDER]}"
folder="${2:-deploy/nginx/private/tls}"
mkdir -p "$folder"
chmod 700 "$folder"
case "$host" in
  *[!0-9.]*) san="DNS:$host" ;;
  *) san="IP:$host" ;;
esac
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 -subj "/CN=$host" \
  -addext "subjectAltName=$san" -keyout "$folder/key.pem" -out "$folder/cert.pem" 2>/dev/null
chmod 644 "$folder/cert.pem"
echo "wrote $folder/cert.pem and $folder/key.pem for $host (valid 365 days, self-signed)"
