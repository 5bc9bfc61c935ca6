package dev.controlroom.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What tokens cost by the price table: the money of the models it prices, and the tokens of those it
 * cannot, by model. One model without a price leaves the rest of the estimate standing and is named
 * beside it, instead of taking the whole estimate away.
 *
 * @param usd      the estimate for the priced tokens
 * @param priced   the tokens the estimate covers
 * @param unpriced the tokens without a price, by {@link ModelNames#canonical} model name ({@code ""}: the agent named none)
 */
public record CostEstimate(double usd, Price.Tokens priced, Map<String, Price.Tokens> unpriced) {
    public static final CostEstimate NONE = new CostEstimate(0, Price.Tokens.NONE, Map.of());

    public CostEstimate {
        unpriced = Map.copyOf(unpriced);
    }

    /**
     * The estimate of tokens used per model ({@code ""} when the agent named none); tokens of no named model
     * are priced as {@code unnamedModel} when given (the agent's configured model).
     */
    public static CostEstimate of(List<Price> prices, Map<String, Price.Tokens> byModel, Optional<String> unnamedModel) {
        double usd = 0;
        Price.Tokens priced = Price.Tokens.NONE;
        Map<String, Price.Tokens> unpriced = new TreeMap<>();
        for (Map.Entry<String, Price.Tokens> e : byModel.entrySet()) {
            if (e.getValue().total() == 0) {
                continue;
            }
            String model = ModelNames.canonical(e.getKey()).or(() -> ModelNames.canonical(unnamedModel)).orElse("");
            Optional<Price> price = model.isEmpty() ? Optional.empty() : Price.forModel(prices, model);
            if (price.isPresent()) {
                usd += price.get().cost(e.getValue());
                priced = priced.plus(e.getValue());
            } else {
                unpriced.merge(model, e.getValue(), Price.Tokens::plus);
            }
        }
        return new CostEstimate(usd, priced, unpriced);
    }

    public CostEstimate plus(CostEstimate other) {
        Map<String, Price.Tokens> both = new TreeMap<>(unpriced);
        other.unpriced.forEach((model, tokens) -> both.merge(model, tokens, Price.Tokens::plus));
        return new CostEstimate(usd + other.usd, priced.plus(other.priced), both);
    }

    /** Whether some tokens have a price: only then is there an amount to show. */
    public boolean anyPriced() {
        return priced.total() > 0;
    }

    /** Whether every token used has a price. */
    public boolean complete() {
        return unpriced.isEmpty();
    }

    /** The tokens without a price, of all models. */
    public long unpricedTokens() {
        return unpriced.values().stream().mapToLong(Price.Tokens::total).sum();
    }

    /** The tokens without a price, per model, the most first. */
    public List<Map.Entry<String, Long>> unpricedByModel() {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        unpriced.forEach((model, tokens) -> out.add(Map.entry(model, tokens.total())));
        out.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return out;
    }

    /**
     * "≈ $1.23", "≈ $1.23; not priced: 12,345 tokens of model gpt-9", "not priced: 12,345 tokens of an unnamed
     * model", or "" when no tokens were used; {@code decimals} digits after the point.
     */
    public String describe(int decimals) {
        StringJoiner parts = new StringJoiner("; ");
        if (anyPriced()) {
            parts.add(String.format(Locale.ROOT, "≈ $%." + decimals + "f", usd));
        }
        if (!complete()) {
            StringJoiner missing = new StringJoiner(", ", "not priced: ", "");
            for (Map.Entry<String, Long> e : unpricedByModel()) {
                missing.add(String.format(Locale.ROOT, "%,d tokens of ", e.getValue())
                        + (e.getKey().isEmpty() ? "an unnamed model" : "model " + e.getKey()));
            }
            parts.add(missing.toString());
        }
        return parts.toString();
    }
}
