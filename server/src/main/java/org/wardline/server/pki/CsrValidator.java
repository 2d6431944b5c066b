package org.wardline.server.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Set;

/**
 * Checks a device's PKCS#10 certificate request (PEM, or DER as bytes or base64) before anything is issued:
 * well-formed, self-signed with the key it carries, an ECDSA key on P-256 or P-384, and no requested
 * extensions or other attributes. The subject is ignored: the server sets the identity. Failures are
 * {@link WardlineHttpException}s with a stable code; their messages never carry the request's content.
 */
public final class CsrValidator {
    /** Larger than any honest request for an EC key; bounds parsing work. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1);
    private static final Set<String> PEM_TYPES = Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    private CsrValidator() {
    }

    /** Validates a request given as PEM text or base64 DER and returns its public key. */
    public static PublicKey validate(String csr) {
        if (csr == null || csr.isBlank() || csr.length() > 2 * MAX_BYTES) {
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
        return validate(decodeText(csr));
    }

    /** Validates a request given as DER bytes, or PEM bytes, and returns its public key. */
    public static PublicKey validate(byte[] csr) {
        if (csr == null || csr.length == 0 || csr.length > 2 * MAX_BYTES) {
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
        byte[] der = csr[0] == 0x30 ? csr : decodeText(new String(csr, StandardCharsets.US_ASCII));
        if (der.length > MAX_BYTES) {
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
        JcaPKCS10CertificationRequest request;
        try {
            request = new JcaPKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
        AlgorithmIdentifier keyAlgorithm = request.getSubjectPublicKeyInfo().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm.getAlgorithm())
                || !(keyAlgorithm.getParameters() instanceof ASN1ObjectIdentifier curve) || !CURVES.contains(curve)) {
            throw new WardlineHttpException(ErrorCode.CSR_KEY_UNSUPPORTED);
        }
        for (Attribute attribute : request.getAttributes()) {
            boolean emptyExtensionRequest = PKCSObjectIdentifiers.pkcs_9_at_extensionRequest.equals(attribute.getAttrType())
                    && attribute.getAttrValues().size() == 1
                    && Extensions.getInstance(attribute.getAttrValues().getObjectAt(0)).getExtensionOIDs().length == 0;
            if (!emptyExtensionRequest) {
                throw new WardlineHttpException(ErrorCode.CSR_EXTENSIONS_REFUSED);
            }
        }
        try {
            PublicKey key = request.getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new WardlineHttpException(ErrorCode.CSR_INVALID);
            }
            return key;
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            if (e instanceof WardlineHttpException w) {
                throw w;
            }
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
    }

    private static byte[] decodeText(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("-----BEGIN")) {
            try (PemReader reader = new PemReader(new StringReader(trimmed))) {
                PemObject pem = reader.readPemObject();
                if (pem == null || !PEM_TYPES.contains(pem.getType()) || reader.readPemObject() != null) {
                    throw new WardlineHttpException(ErrorCode.CSR_INVALID);
                }
                return pem.getContent();
            } catch (IOException | RuntimeException e) {
                if (e instanceof WardlineHttpException w) {
                    throw w;
                }
                throw new WardlineHttpException(ErrorCode.CSR_INVALID);
            }
        }
        try {
            return Base64.getMimeDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new WardlineHttpException(ErrorCode.CSR_INVALID);
        }
    }
}
