"""The realtime emulator's intent router with the real local embedder: tools chosen from what the session
declared (a store's tools, then other domains), small talk, clarifying questions, tool_choice."""

from __future__ import annotations

import time
from typing import Any

import pytest

from orchestrator.emulators.azure_openai.embedder import LocalEmbedder
from orchestrator.emulators.azure_openai.realtime.router import (
    Decision,
    IntentRouter,
    ProductRef,
    RouterContext,
    ToolSpec,
)


def _tool(name: str, description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "function",
        "name": name,
        "description": description,
        "parameters": {"type": "object", "properties": properties, "required": required},
    }


PRODUCT_ID = {"type": "integer", "description": "The product's id, from an earlier search or recommendation"}
STORE_TOOLS = [
    _tool(
        "search_products",
        "Search the store catalog for products matching what the customer asks for, such as a jacket, a tent"
        ' or boots, optionally under a maximum price. Use for requests like "do you have tents?" or "I\'m'
        ' looking for a rain jacket".',
        {
            "query": {"type": "string", "description": "What the customer is looking for, in their words"},
            "max_price": {"type": "number", "description": "Highest price the customer will pay, in USD"},
        },
        ["query"],
    ),
    _tool(
        "recommend_products",
        "Recommend the best products for a customer's need or activity, with reasons. Use when the customer"
        ' asks what you would suggest, e.g. "what should I bring for winter camping?".',
        {
            "need": {"type": "string", "description": "The customer's need, activity or situation"},
            "max_price": {"type": "number", "description": "Optional budget in USD"},
        },
        ["need"],
    ),
    _tool(
        "get_product_details",
        "Get full details of one product: price, stock, description and specifications.",
        {"product_id": PRODUCT_ID},
        ["product_id"],
    ),
    _tool(
        "add_to_cart",
        "Add a product to the customer's shopping cart.",
        {"product_id": PRODUCT_ID, "quantity": {"type": "integer", "description": "How many", "minimum": 1}},
        ["product_id", "quantity"],
    ),
    _tool(
        "remove_from_cart",
        "Remove a product from the customer's shopping cart.",
        {"product_id": PRODUCT_ID},
        ["product_id"],
    ),
    _tool("view_cart", "Show what is in the customer's shopping cart and the total.", {}, []),
]
OTHER_TOOLS = [
    _tool(
        "get_weather",
        "Get the current weather forecast for a city.",
        {"city": {"type": "string", "description": "City name"}},
        ["city"],
    ),
    _tool(
        "set_timer",
        "Start a countdown timer.",
        {"minutes": {"type": "integer", "description": "Length of the timer"}},
        ["minutes"],
    ),
    _tool(
        "play_music",
        "Play a song or an artist on the speaker.",
        {"song": {"type": "string", "description": "Song title or artist"}},
        ["song"],
    ),
]
BANK_TOOLS = [
    _tool(
        "getAccountBalance",
        "Returns the current balance of one of the user's accounts.",
        {"accountType": {"type": "string", "enum": ["checking", "savings"]}},
        ["accountType"],
    ),
    _tool(
        "transferMoney",
        "Transfer money between the user's own accounts."
        ' Use for requests like "move 50 dollars to savings".',
        {
            "amount": {"type": "number", "description": "Amount in dollars"},
            "toAccount": {"type": "string", "enum": ["checking", "savings"]},
        },
        ["amount", "toAccount"],
    ),
    {
        "type": "function",
        "name": "listTransactions",
        "description": "List the most recent card transactions.",
    },
]
SHOWN = [
    ProductRef(id="11", name="Alpine Rain Shell", sku="RAIN-0011", price=129.99),
    ProductRef(id="12", name="Trailhead Poncho", sku="RAIN-0012", price=39.0),
    ProductRef(id="13", name="Summit Hardshell", sku="RAIN-0013", price=219.0),
]


@pytest.fixture(scope="module")
def router(local_embedder: LocalEmbedder) -> IntentRouter:
    return IntentRouter(local_embedder)


def specs(tools: list[dict[str, Any]]) -> list[ToolSpec]:
    return [ToolSpec.from_session(t) for t in tools]


def route(
    router: IntentRouter, text: str, tools: list[dict[str, Any]], *, shown: bool = False, **kw: Any
) -> Decision:
    return router.route(
        text, specs(tools), context=RouterContext(products=list(SHOWN)) if shown else None, **kw
    )


def chosen(decision: Decision) -> str:
    return decision.tool if decision.kind == "tool" and decision.tool else decision.kind


STORE_CASES: list[tuple[str, bool, str, dict[str, Any]]] = [
    ("I need a waterproof jacket for hiking", False, "search_products", {}),
    ("i need a waterproof jacket for hiking.", False, "search_products", {}),
    ("show me tents under 200 dollars", False, "search_products", {"query": "tents", "max_price": 200}),
    ("hi, do you have tents?", False, "search_products", {"query": "tents"}),
    ("Do you sell headlamps?", False, "search_products", {"query": "headlamps"}),
    ("I want to buy a rain jacket", False, "search_products", {"query": "rain jacket"}),
    ("what would you recommend for a rainy weekend hike", False, "recommend_products", {}),
    ("What should I bring for winter camping?", False, "recommend_products", {"need": "winter camping"}),
    ("which tent is best for backpacking", False, "recommend_products", {}),
    ("tell me more about the first one", True, "get_product_details", {"product_id": 11}),
    ("How much is the second one?", True, "get_product_details", {"product_id": 12}),
    ("is the poncho waterproof", True, "get_product_details", {"product_id": 12}),
    ("add two of the first one to my cart", True, "add_to_cart", {"product_id": 11, "quantity": 2}),
    ("Add 2 of the first one to my cart.", True, "add_to_cart", {"product_id": 11, "quantity": 2}),
    ("put the poncho in my cart", True, "add_to_cart", {"product_id": 12, "quantity": 1}),
    ("I'll take it", True, "add_to_cart", {"product_id": 11, "quantity": 1}),
    ("take the Trailhead Poncho out of my cart", True, "remove_from_cart", {"product_id": 12}),
    ("remove the last one", True, "remove_from_cart", {"product_id": 13}),
    ("what's in my cart", False, "view_cart", {}),
    ("What's in my cart?", False, "view_cart", {}),
    ("how much is my total", False, "view_cart", {}),
    ("hello there", False, "greeting", {}),
    ("good morning", False, "greeting", {}),
    ("thank you", False, "thanks", {}),
    ("thanks a lot, that's helpful", False, "thanks", {}),
    ("bye", False, "goodbye", {}),
    ("that's all, goodbye", False, "goodbye", {}),
    ("what's the weather on Mars", False, "chat", {}),
    ("tell me a joke", False, "chat", {}),
    ("who won the football game yesterday", False, "chat", {}),
    ("add it to my cart", False, "clarify", {}),
]


@pytest.mark.parametrize(("text", "shown", "expected", "arguments"), STORE_CASES)
def test_store_requests_reach_the_right_tool(
    router: IntentRouter, text: str, shown: bool, expected: str, arguments: dict[str, Any]
) -> None:
    decision = route(router, text, STORE_TOOLS, shown=shown)
    assert chosen(decision) == expected, decision
    for key, value in arguments.items():
        assert decision.arguments.get(key) == value, decision
    if decision.tool:
        declared = next(t for t in STORE_TOOLS if t["name"] == decision.tool)["parameters"]["properties"]
        assert set(decision.arguments) <= set(declared)


def test_search_query_keeps_what_was_asked_for(router: IntentRouter) -> None:
    for text in ("I need a waterproof jacket for hiking", "i need a waterproof jacket for hiking."):
        decision = route(router, text, STORE_TOOLS)
        assert "waterproof jacket" in decision.arguments["query"].lower()
        assert "need" not in decision.arguments["query"].lower()
    decision = route(router, "what would you recommend for a rainy weekend hike", STORE_TOOLS)
    assert decision.arguments == {"need": "rainy weekend hike"}


def test_non_tool_decisions_carry_a_spoken_reply(router: IntentRouter) -> None:
    clarify = route(router, "add it to my cart", STORE_TOOLS)
    assert clarify.tool == "add_to_cart"
    assert clarify.text == "Which product would you like to add?"
    chat = route(router, "what's the weather on Mars", STORE_TOOLS)
    assert chat.text is not None and chat.text.startswith("Sorry, I can't help with that.")
    assert "search products" in chat.text
    assert route(router, "hello there", STORE_TOOLS).text
    assert route(router, "   ", STORE_TOOLS).kind == "chat"


def test_an_unseen_product_named_is_looked_up_first(router: IntentRouter) -> None:
    decision = route(router, "add the Trailhead Poncho to my cart", STORE_TOOLS)
    assert (decision.kind, decision.tool) == ("tool", "search_products")
    assert decision.arguments == {"query": "Trailhead Poncho"}
    assert route(router, "empty my cart", STORE_TOOLS).kind == "clarify"


@pytest.mark.parametrize(
    ("text", "expected", "arguments"),
    [
        ("what's the weather in Paris", "get_weather", {"city": "Paris"}),
        ("Is it going to rain in London today?", "get_weather", {"city": "London"}),
        ("set a timer for ten minutes", "set_timer", {"minutes": 10}),
        ("Start a 5 minute countdown", "set_timer", {"minutes": 5}),
        ("play Bohemian Rhapsody by Queen", "play_music", {"song": "Bohemian Rhapsody by Queen"}),
        ("play some jazz", "play_music", {"song": "jazz"}),
        ("set a timer", "clarify", {}),
        ("hello", "greeting", {}),
        ("thanks, bye", "goodbye", {}),
        ("do you have tents", "chat", {}),
        ("add two of the first one to my cart", "chat", {}),
    ],
)
def test_another_domain_routes_by_its_own_tools(
    router: IntentRouter, text: str, expected: str, arguments: dict[str, Any]
) -> None:
    decision = route(router, text, OTHER_TOOLS)
    assert chosen(decision) == expected, decision
    assert decision.arguments == arguments or decision.kind != "tool"


@pytest.mark.parametrize(
    ("text", "expected", "arguments"),
    [
        ("what's my savings balance", "getAccountBalance", {"accountType": "savings"}),
        ("move 200 dollars to savings", "transferMoney", {"amount": 200, "toAccount": "savings"}),
        (
            "transfer fifty bucks into my checking account",
            "transferMoney",
            {"amount": 50, "toAccount": "checking"},
        ),
        ("show me my recent transactions", "listTransactions", {}),
    ],
)
def test_camel_case_tools_with_enums(
    router: IntentRouter, text: str, expected: str, arguments: dict[str, Any]
) -> None:
    decision = route(router, text, BANK_TOOLS)
    assert (decision.kind, decision.tool, decision.arguments) == ("tool", expected, arguments)


def test_tool_choice_none_never_calls_a_tool(router: IntentRouter) -> None:
    for text in ("show me tents under 200 dollars", "what's in my cart", "hello"):
        assert route(router, text, STORE_TOOLS, tool_choice="none").kind != "tool"
    assert route(router, "hello", STORE_TOOLS, tool_choice="none").kind == "greeting"


def test_tool_choice_required_always_calls_one(router: IntentRouter) -> None:
    for text in ("hello", "what's the weather on Mars", "show me tents"):
        decision = route(router, text, STORE_TOOLS, tool_choice="required")
        assert decision.kind == "tool" and decision.tool in {t["name"] for t in STORE_TOOLS}
    assert (
        route(router, "play Yesterday by the Beatles", OTHER_TOOLS, tool_choice="required").tool
        == "play_music"
    )


def test_tool_choice_by_name_calls_that_tool(router: IntentRouter) -> None:
    choice = {"type": "function", "name": "view_cart"}
    for text in ("hello", "show me tents under 200 dollars"):
        decision = route(router, text, STORE_TOOLS, tool_choice=choice)
        assert (decision.kind, decision.tool) == ("tool", "view_cart")
    named = route(
        router,
        "show me tents under 200 dollars",
        STORE_TOOLS,
        tool_choice={"type": "function", "name": "search_products"},
    )
    assert named.arguments == {"query": "tents", "max_price": 200}
    unknown = route(router, "show me tents", STORE_TOOLS, tool_choice={"type": "function", "name": "nope"})
    assert unknown.tool == "search_products"


def test_no_tools_declared(router: IntentRouter) -> None:
    assert router.route("hello", []).kind == "greeting"
    decision = router.route("search for tents", [], tool_choice="required")
    assert decision.kind == "chat" and decision.text == "Sorry, I can't help with that."


def test_routing_after_warm_up_costs_about_one_embedding(router: IntentRouter) -> None:
    tools = specs(STORE_TOOLS)
    context = RouterContext(products=list(SHOWN))
    texts = [text for text, *_ in STORE_CASES]
    for text in texts:
        router.route(text, tools, context=context)
    rounds = 3
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            router.route(text, tools, context=context)
    per_route_ms = (time.perf_counter() - started) * 1000 / (rounds * len(texts))
    print(f"routing: {per_route_ms:.1f} ms per utterance (warm cache, {len(texts)} utterances)")
    assert per_route_ms < 50
