#!/bin/sh
# A self-signed certificate for trying the compose setup on localhost. Use a real one in production
# (e.g. from Let's Encrypt: fullchain.pem and privkey.pem in ./certs).
set -eu
cd "$(dirname "$0")"
mkdir -p certs
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout certs/privkey.pem -out certs/fullchain.pem
echo "Wrote certs/fullchain.pem and certs/privkey.pem"
