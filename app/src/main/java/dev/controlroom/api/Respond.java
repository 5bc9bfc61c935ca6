package dev.controlroom.api;

import io.javalin.http.Context;

/** Writing answers: JSON with the API's codec, and problems as {@code application/problem+json}. */
final class Respond {
    static final String PROBLEM_JSON = "application/problem+json";

    private Respond() {
    }

    static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(ApiJson.write(body));
    }

    static void created(Context ctx, Object body) {
        ctx.status(201);
        json(ctx, body);
    }

    static void problem(Context ctx, Problem p) {
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(ApiJson.write(p.body(ctx.path())));
    }
}
