package dev.controlroom.cli;

import dev.controlroom.domain.Price;
import dev.controlroom.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code prices}: the price table that turns tokens into an estimated cost. */
@Command(name = "prices", mixinStandardHelpOptions = true,
        description = "Show the price table (per million tokens), or set one model's prices with --set. "
                + "Tokens are what is stored; money is an estimate computed from this table.")
public final class PricesCommand extends StoreCommand {
    @Option(names = "--set", paramLabel = "MODEL", description = "The model (or model prefix, e.g. claude-sonnet-4) to price.")
    String model;

    @Parameters(paramLabel = "AMOUNT", arity = "0..4",
            description = "With --set: input, output, and optionally cache-read and cache-write prices per million tokens.")
    double[] amounts = new double[0];

    @Override
    int run(Store store, PrintWriter out, PrintWriter err) {
        if (model != null) {
            if (amounts.length < 2) {
                err.println("error: --set MODEL needs at least the input and output prices, e.g. --set gpt-5 1.25 10");
                return 2;
            }
            store.prices().put(new Price(model, amounts[0], amounts[1], amounts.length > 2 ? amounts[2] : 0,
                    amounts.length > 3 ? amounts[3] : 0, "USD"));
        }
        Table table = new Table("MODEL", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "CURRENCY");
        store.prices().list().forEach(p -> table.row(p.model(), p.inputPerMillion(), p.outputPerMillion(), p.cacheReadPerMillion(),
                p.cacheWritePerMillion(), p.currency()));
        table.print(out);
        return 0;
    }
}
