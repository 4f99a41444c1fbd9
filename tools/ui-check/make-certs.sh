#!/bin/sh
# Test CA and a server certificate for the provider hosts the fake TLS server stands in for.
# certs/bundle.pem = the system's CAs + the test CA: give it to the gateway as SSL_CERT_FILE.
set -e
cd "$(dirname "$0")" && mkdir -p certs && cd certs
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=ui-check test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=chatgpt.com" 2>/dev/null
printf '%s\n' \
  "subjectAltName=DNS:chatgpt.com,DNS:api.anthropic.com,DNS:cloudcode-pa.googleapis.com,DNS:daily-cloudcode-pa.googleapis.com,DNS:oauth2.googleapis.com" \
  "extendedKeyUsage=serverAuth" > ext.cnf
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 30 -extfile ext.cnf 2>/dev/null
cat /etc/ssl/certs/ca-certificates.crt ca.pem > bundle.pem
echo "certs in $(pwd); run the gateway with SSL_CERT_FILE=$(pwd)/bundle.pem"
