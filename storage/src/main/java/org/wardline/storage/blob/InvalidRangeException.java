package org.wardline.storage.blob;

import org.wardline.storage.StorageException;

/** A byte range that does not fit the object (HTTP 416). */
public class InvalidRangeException extends StorageException {
    public InvalidRangeException(String message) {
        super(message);
    }
}
