package io.seedmq.messaging.observation;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (slf4j-simple's own MDC keeps nothing), so the kit can see the
 * trace id seedmq puts there while a handler runs. Chosen with {@code -Dslf4j.provider} by the
 * transport modules' test runs.
 */
public final class MdcSimpleProvider extends SimpleServiceProvider {

    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
