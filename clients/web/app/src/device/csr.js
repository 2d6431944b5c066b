// The certificate request for this browser's key (PKCS#10, built by @peculiar/x509 with WebCrypto). The server
// ignores the subject and sets the identity (user and device) itself.
import { Pkcs10CertificateRequestGenerator } from "@peculiar/x509";

export async function certificateRequest(keys) {
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: "CN=Wardline browser device",
    keys,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
  });
  return csr.toString("pem");
}
