package org.wardline.protocol.mls;

/**
 * The commit would leave a group of one, which bcmls 1.84 cannot build (bc-java #2492); close the
 * conversation instead and start a new one when someone returns.
 */
public final class SingletonGroupException extends Exception {
    public SingletonGroupException() {
        super("the group would shrink to one member");
    }
}
