package dev.argus.client;

/** {@link SilentServerIT} with requests over {@link PlainHttp} (what the Java agent uses). */
class SilentServerPlainSocketIT extends SilentServerIT {
  @Override
  ArgusClientConfig.Builder config() {
    return super.config().plainSocket(true);
  }
}
