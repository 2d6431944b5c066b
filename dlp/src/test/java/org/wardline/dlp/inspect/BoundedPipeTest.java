package org.wardline.dlp.inspect;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedPipeTest {

  @Test
  void bytesArriveInOrderThroughASmallBufferAndThenEndOfStream() throws Exception {
    byte[] data = new byte[1_000_003];
    new Random(7).nextBytes(data);
    BoundedPipe pipe = new BoundedPipe(4096);
    FutureTask<byte[]> reader = new FutureTask<>(() -> pipe.source().readAllBytes());
    Thread.ofVirtual().start(reader);
    try (OutputStream sink = pipe.sink()) {
      for (int off = 0; off < data.length; off += 10_000) {
        sink.write(data, off, Math.min(10_000, data.length - off));
      }
    }
    assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(data);
  }

  @Test
  void theReaderSeesEachWriteWithoutWaitingForAFullBuffer() throws Exception {
    BoundedPipe pipe = new BoundedPipe(1 << 20);
    FutureTask<Integer> reader = new FutureTask<>(() -> pipe.source().read(new byte[64]));
    Thread.ofVirtual().start(reader);
    pipe.sink().write(new byte[10]);
    // PipedInputStream would hold these ten bytes back until its buffer filled or a one-second poll elapsed.
    assertThat(reader.get(500, TimeUnit.MILLISECONDS)).isEqualTo(10);
  }

  @Test
  void aWriterBlockedOnAFullPipeFailsOnceTheReaderCloses() throws Exception {
    BoundedPipe pipe = new BoundedPipe(16);
    CountDownLatch full = new CountDownLatch(1);
    FutureTask<Void> writer = new FutureTask<>(() -> {
      pipe.sink().write(new byte[16]);
      full.countDown();
      pipe.sink().write(new byte[1]);
      return null;
    });
    Thread.ofVirtual().start(writer);
    assertThat(full.await(10, TimeUnit.SECONDS)).isTrue();
    pipe.source().close();
    assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class).hasMessageContaining("closed by its reader");
    assertThatThrownBy(() -> pipe.source().read()).isInstanceOf(IOException.class);
  }

  @Test
  void aBlockedReaderAnswersInterruption() throws Exception {
    BoundedPipe pipe = new BoundedPipe(16);
    InputStream source = pipe.source();
    FutureTask<Integer> reader = new FutureTask<>(source::read);
    Thread thread = Thread.ofVirtual().start(reader);
    thread.interrupt();
    assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(InterruptedIOException.class);
  }
}
