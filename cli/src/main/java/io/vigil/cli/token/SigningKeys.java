package io.vigil.cli.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The local stack's token signing key pair: {@code jwt-private.pem} (PKCS#8, mode 600, only this machine's operator
 * reads it) and {@code jwt-public.pem} (X.509, what the services verify with). Created once; an existing pair is never
 * replaced, so tokens already printed stay valid across {@code vigil up} runs.
 */
public final class SigningKeys {

    public static final String PRIVATE_KEY = "jwt-private.pem";
    public static final String PUBLIC_KEY = "jwt-public.pem";

    private SigningKeys() {
    }

    /**
     * Creates the pair under {@code dir} unless the private key is there already.
     *
     * @return true when it created a new pair
     */
    public static boolean init(Path dir) throws IOException, GeneralSecurityException {
        Path privateKey = dir.resolve(PRIVATE_KEY);
        if (Files.exists(privateKey)) {
            if (!Files.exists(dir.resolve(PUBLIC_KEY))) {
                throw new IOException(privateKey + " exists without " + PUBLIC_KEY + " beside it; remove the private key"
                        + " to create a new pair (tokens signed with it stop working)");
            }
            return false;
        }
        Files.createDirectories(dir);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        // Written under a temporary name created with mode 600, then moved: no moment where the key is readable by
        // others, and no half-written key if this is interrupted.
        Path tmp = Files.createTempFile(dir, ".jwt-private", ".tmp", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, privateKey, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(tmp);
            return false;
        }
        return true;
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
