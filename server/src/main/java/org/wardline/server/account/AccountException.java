package org.wardline.server.account;

import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

/** A refused account operation with its stable error code; the message is for the server log and holds no secrets. */
public final class AccountException extends WardlineHttpException {
    public AccountException(ErrorCode code) {
        super(code);
    }
}
