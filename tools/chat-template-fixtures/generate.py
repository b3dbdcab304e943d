"""Renders the real chat templates of a few model families with Hugging Face transformers' own
renderer and writes JSON fixtures that Hanlin's ChatTemplate must reproduce byte for byte.

Run where transformers (with jinja2) is installed; no network and no model download is needed
because the template strings below are copied from each model's tokenizer_config.json:

    python3 tools/chat-template-fixtures/generate.py [OUTPUT_DIR]

Each template string is written exactly as it appears (JSON-escaped) in the model's
tokenizer_config.json "chat_template" field; Python's string escapes decode it the same way JSON does.
"""

import json
import os
import sys

import jinja2
import transformers
from transformers.utils.chat_template_utils import render_jinja_template

# Qwen/Qwen2.5-7B-Instruct (the whole Qwen2.5-Instruct family shares it).
QWEN25 = "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n        {{- messages[0]['content'] }}\n    {%- else %}\n        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n    {%- for tool in tools %}\n        {{- \"\\n\" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": <function-name>, \\\"arguments\\\": <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n{%- else %}\n    {%- if messages[0]['role'] == 'system' %}\n        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role == \"assistant\" and not message.tool_calls) %}\n        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n    {%- elif message.role == \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n        {%- if message.content %}\n            {{- '\\n' + message.content }}\n        {%- endif %}\n        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n            {{- tool_call.name }}\n            {{- '\", \"arguments\": ' }}\n            {{- tool_call.arguments | tojson }}\n            {{- '}\\n</tool_call>' }}\n        {%- endfor %}\n        {{- '<|im_end|>\\n' }}\n    {%- elif message.role == \"tool\" %}\n        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n            {{- '<|im_start|>user' }}\n        {%- endif %}\n        {{- '\\n<tool_response>\\n' }}\n        {{- message.content }}\n        {{- '\\n</tool_response>' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n            {{- '<|im_end|>\\n' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n"

# meta-llama/Meta-Llama-3-8B-Instruct.
LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"

# meta-llama/Llama-3.1-8B-Instruct (Llama-3.3-70B-Instruct ships the same template).
LLAMA31 = "{{- bos_token }}\n{%- if custom_tools is defined %}\n    {%- set tools = custom_tools %}\n{%- endif %}\n{%- if not tools_in_user_message is defined %}\n    {%- set tools_in_user_message = true %}\n{%- endif %}\n{%- if not date_string is defined %}\n    {%- set date_string = \"26 Jul 2024\" %}\n{%- endif %}\n{%- if not tools is defined %}\n    {%- set tools = none %}\n{%- endif %}\n\n{#- This block extracts the system message, so we can slot it into the right place. #}\n{%- if messages[0]['role'] == 'system' %}\n    {%- set system_message = messages[0]['content']|trim %}\n    {%- set messages = messages[1:] %}\n{%- else %}\n    {%- set system_message = \"\" %}\n{%- endif %}\n\n{#- System message + builtin tools #}\n{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{%- if builtin_tools is defined or tools is not none %}\n    {{- \"Environment: ipython\\n\" }}\n{%- endif %}\n{%- if builtin_tools is defined %}\n    {{- \"Tools: \" + builtin_tools | reject('equalto', 'code_interpreter') | join(\", \") + \"\\n\\n\"}}\n{%- endif %}\n{{- \"Cutting Knowledge Date: December 2023\\n\" }}\n{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n{%- if tools is not none and not tools_in_user_message %}\n    {{- \"You have access to the following functions. To call a function, please respond with JSON for a function call.\" }}\n    {{- 'Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.' }}\n    {{- \"Do not use variables.\\n\\n\" }}\n    {%- for t in tools %}\n        {{- t | tojson(indent=4) }}\n        {{- \"\\n\\n\" }}\n    {%- endfor %}\n{%- endif %}\n{{- system_message }}\n{{- \"<|eot_id|>\" }}\n\n{#- Custom tools are passed in a user message with some extra guidance #}\n{%- if tools_in_user_message and not tools is none %}\n    {#- Extract the first user message so we can plug it in here #}\n    {%- if messages | length != 0 %}\n        {%- set first_user_message = messages[0]['content']|trim %}\n        {%- set messages = messages[1:] %}\n    {%- else %}\n        {{- raise_exception(\"Cannot put tools in the first user message when there's no first user message!\") }}\n{%- endif %}\n    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}\n    {{- \"Given the following functions, please respond with a JSON for a function call \" }}\n    {{- \"with its proper arguments that best answers the given prompt.\\n\\n\" }}\n    {{- 'Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.' }}\n    {{- \"Do not use variables.\\n\\n\" }}\n    {%- for t in tools %}\n        {{- t | tojson(indent=4) }}\n        {{- \"\\n\\n\" }}\n    {%- endfor %}\n    {{- first_user_message + \"<|eot_id|>\"}}\n{%- endif %}\n\n{%- for message in messages %}\n    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}\n        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}\n    {%- elif 'tool_calls' in message %}\n        {%- if not message.tool_calls|length == 1 %}\n            {{- raise_exception(\"This model only supports single tool-calls at once!\") }}\n        {%- endif %}\n        {%- set tool_call = message.tool_calls[0].function %}\n        {%- if builtin_tools is defined and tool_call.name in builtin_tools %}\n            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}\n            {{- \"<|python_tag|>\" + tool_call.name + \".call(\" }}\n            {%- for arg_name, arg_val in tool_call.arguments | items %}\n                {{- arg_name + '=\"' + arg_val + '\"' }}\n                {%- if not loop.last %}\n                    {{- \", \" }}\n                {%- endif %}\n                {%- endfor %}\n            {{- \")\" }}\n        {%- else  %}\n            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}\n            {{- '{\"name\": \"' + tool_call.name + '\", ' }}\n            {{- '\"parameters\": ' }}\n            {{- tool_call.arguments | tojson }}\n            {{- \"}\" }}\n        {%- endif %}\n        {%- if builtin_tools is defined %}\n            {#- This means we're in ipython mode #}\n            {{- \"<|eom_id|>\" }}\n        {%- else %}\n            {{- \"<|eot_id|>\" }}\n        {%- endif %}\n    {%- elif message.role == \"tool\" or message.role == \"ipython\" %}\n        {{- \"<|start_header_id|>ipython<|end_header_id|>\\n\\n\" }}\n        {%- if message.content is mapping or message.content is iterable %}\n            {{- message.content | tojson }}\n        {%- else %}\n            {{- message.content }}\n        {%- endif %}\n        {{- \"<|eot_id|>\" }}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n{%- endif %}\n"

# meta-llama/Llama-2-7b-chat-hf.
LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"

# mistralai/Mistral-7B-Instruct-v0.2 (v0.1 ships the same template).
MISTRAL = "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"

# Qwen/Qwen3-8B (the hybrid-thinking template of the April 2025 Qwen3 release), here in its decoded
# Jinja form rather than JSON-escaped: namespace(), messages[::-1], str.split/lstrip/rstrip/strip, enable_thinking.
QWEN3 = r'''{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\n\n' }}
    {%- endif %}
    {{- "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {%- set content = message.content %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in message.content %}
                {%- set content = message.content.split('</think>')[-1].lstrip('\n') %}
                {%- set reasoning_content = message.content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\n<think>\n' + reasoning_content.strip('\n') + '\n</think>\n\n' + content.lstrip('\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\n\n</think>\n\n' }}
    {%- endif %}
{%- endif %}
'''

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location / 查询指定城市的当前天气",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city, e.g. \"北京\" or San Francisco, CA"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7, "default": 1},
                "threshold": {"type": "number", "default": 0.5},
            },
            "required": ["location"],
        },
    },
}

SEARCH_TOOL = {
    "type": "function",
    "function": {
        "name": "search_documents",
        "description": "Search the knowledge base.\nReturns at most `limit` passages.",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}, "exact": {"type": "boolean"}},
            "required": ["query"],
        },
    },
}

SYSTEM = "You are a careful assistant for a hospital's internal knowledge base."
USER1 = "What is the maximum daily dose of paracetamol for adults?"
ASSISTANT1 = "For healthy adults it is 4 g per day, split into doses of at most 1 g."
USER2 = "And for patients with liver disease?"

BASIC = [
    ("single_user", [{"role": "user", "content": USER1}]),
    ("system_and_user", [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER1}]),
    ("multi_turn", [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": USER1},
        {"role": "assistant", "content": ASSISTANT1},
        {"role": "user", "content": USER2},
    ]),
    ("multi_turn_without_system", [
        {"role": "user", "content": USER1},
        {"role": "assistant", "content": ASSISTANT1},
        {"role": "user", "content": USER2},
    ]),
    ("chinese", [
        {"role": "system", "content": "你是一名严谨的医学知识库助手。"},
        {"role": "user", "content": "成人对乙酰氨基酚的每日最大剂量是多少？"},
        {"role": "assistant", "content": "健康成人每日不超过4克。"},
        {"role": "user", "content": "肝病患者呢？请用中文回答。"},
    ]),
    ("surrounding_whitespace_and_quotes", [
        {"role": "system", "content": "  Answer in one line.\n"},
        {"role": "user", "content": "\n\tWhat does \"O'Brien\" mean? \\ {{ not a tag }} {% neither %}  \n"},
        {"role": "assistant", "content": " It is an Irish surname.  "},
        {"role": "user", "content": "Thanks!\r\nBye."},
    ]),
]

ALTERNATION_ERRORS = [
    ("two_users_in_a_row", [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Hello again"}]),
    ("assistant_first", [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "Hello"}]),
]

QWEN_TOOL_CONVERSATION = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "北京今天天气怎么样？"},
    {"role": "assistant", "content": "", "tool_calls": [
        {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "北京", "unit": "celsius"}}},
        {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "上海", "days": 2}}},
    ]},
    {"role": "tool", "content": "{\"temperature\": 21, \"condition\": \"晴\"}"},
    {"role": "tool", "content": "{\"temperature\": 24, \"condition\": \"多云\"}"},
    {"role": "assistant", "content": "北京今天晴，21°C；上海多云，24°C。"},
    {"role": "user", "content": "Thanks."},
]

LLAMA31_TOOL_CONVERSATION = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "What's the weather in Paris?"},
    {"role": "assistant", "tool_calls": [
        {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "Paris", "unit": "celsius"}}},
    ]},
    {"role": "tool", "content": "{\"temperature\": 18}"},
    {"role": "ipython", "content": {"temperature": 18, "note": "dict content is serialised with tojson"}},
]


QWEN3_THINKING_CONVERSATION = [
    {"role": "user", "content": "What is 17 * 23?"},
    {"role": "assistant", "content": "<think>\n17 * 23 = 17 * 20 + 17 * 3 = 340 + 51.\n</think>\n\n391"},
    {"role": "user", "content": "再加 9 呢？"},
    {"role": "assistant", "content": "400", "reasoning_content": "391 + 9 = 400"},
]

QWEN3_TOOL_CONVERSATION = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "北京和上海今天天气怎么样？"},
    {"role": "assistant", "content": "<think>\nI need the weather for two cities.\n</think>\n\nLet me check.", "tool_calls": [
        {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "北京"}}},
        {"type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"上海\"}"}},
    ]},
    {"role": "tool", "content": "{\"temperature\": 21}"},
    {"role": "tool", "content": "{\"temperature\": 24}"},
    {"role": "user", "content": "<tool_response>\nextra context\n</tool_response>"},
]


def render(template, messages, add_generation_prompt, extra):
    kwargs = {k: v for k, v in extra.items() if k != "tools"}
    rendered, _ = render_jinja_template(
        conversations=[messages],
        tools=extra.get("tools"),
        chat_template=template,
        add_generation_prompt=add_generation_prompt,
        **kwargs,
    )
    return rendered[0]


def case(name, template, messages, add_generation_prompt, extra):
    entry = {"name": name, "messages": messages, "add_generation_prompt": add_generation_prompt, "extra": extra}
    try:
        entry["expected"] = render(template, messages, add_generation_prompt, extra)
    except jinja2.exceptions.TemplateError as error:
        entry["error"] = str(error)
    return entry


def fixture(model, template, extra, cases):
    return {
        "model": model,
        "transformers_version": transformers.__version__,
        "jinja2_version": jinja2.__version__,
        "template": template,
        "cases": cases,
    }


def basic_cases(template, extra, with_errors):
    cases = []
    for name, messages in BASIC:
        for add in (True, False):
            cases.append(case(f"{name}_{'with' if add else 'without'}_generation_prompt", template, messages, add, extra))
    if with_errors:
        for name, messages in ALTERNATION_ERRORS:
            cases.append(case(name, template, messages, True, extra))
    return cases


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "tests", "Hanlin.Models.Tests", "Fixtures", "chat_templates")
    os.makedirs(out, exist_ok=True)
    qwen_tokens = {"bos_token": None, "eos_token": "<|im_end|>"}
    llama3_tokens = {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}
    llama2_tokens = {"bos_token": "<s>", "eos_token": "</s>"}

    qwen = basic_cases(QWEN25, qwen_tokens, False)
    tools = {**qwen_tokens, "tools": [WEATHER_TOOL, SEARCH_TOOL]}
    qwen.append(case("tools_with_system", QWEN25, BASIC[1][1], True, tools))
    qwen.append(case("tools_without_system", QWEN25, BASIC[0][1], True, tools))
    qwen.append(case("tool_calls_and_responses", QWEN25, QWEN_TOOL_CONVERSATION, True, tools))
    qwen.append(case("tool_calls_without_tools_section", QWEN25, QWEN_TOOL_CONVERSATION, False, qwen_tokens))
    qwen.append(case("later_system_message", QWEN25, BASIC[3][1] + [{"role": "system", "content": "Be brief."}], True, qwen_tokens))

    llama3 = basic_cases(LLAMA3, llama3_tokens, False)

    qwen3_tokens = {"bos_token": None, "eos_token": "<|im_end|>"}
    qwen3 = basic_cases(QWEN3, qwen3_tokens, False)
    qwen3.append(case("thinking_disabled", QWEN3, BASIC[1][1], True, {**qwen3_tokens, "enable_thinking": False}))
    qwen3.append(case("thinking_enabled_explicitly", QWEN3, BASIC[1][1], True, {**qwen3_tokens, "enable_thinking": True}))
    qwen3.append(case("reasoning_in_history", QWEN3, QWEN3_THINKING_CONVERSATION, False, qwen3_tokens))
    qwen3.append(case("reasoning_in_history_then_prompt", QWEN3, QWEN3_THINKING_CONVERSATION[:3], True, qwen3_tokens))
    qwen3.append(case("tools_and_multi_step_calls", QWEN3, QWEN3_TOOL_CONVERSATION, True, {**qwen3_tokens, "tools": [WEATHER_TOOL]}))

    dated = {**llama3_tokens, "date_string": "23 Nov 2026"}
    llama31 = basic_cases(LLAMA31, dated, False)
    llama31.append(case("default_date", LLAMA31, BASIC[1][1], True, llama3_tokens))
    llama31.append(case("tools_in_first_user_message", LLAMA31, BASIC[2][1], True, {**dated, "tools": [WEATHER_TOOL]}))
    llama31.append(case("tools_in_system_message", LLAMA31, BASIC[2][1], True,
                        {**dated, "tools": [WEATHER_TOOL, SEARCH_TOOL], "tools_in_user_message": False}))
    llama31.append(case("tool_call_and_ipython_responses", LLAMA31, LLAMA31_TOOL_CONVERSATION, True,
                        {**dated, "tools": [WEATHER_TOOL], "tools_in_user_message": False}))
    llama31.append(case("builtin_tools", LLAMA31, BASIC[1][1], True,
                        {**dated, "builtin_tools": ["brave_search", "code_interpreter", "wolfram_alpha"]}))
    llama31.append(case("tools_without_user_message", LLAMA31, [{"role": "system", "content": SYSTEM}], True,
                        {**dated, "tools": [WEATHER_TOOL]}))
    llama31.append(case("two_tool_calls_rejected", LLAMA31, [
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {"role": "assistant", "tool_calls": [
            {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "Paris"}}},
            {"type": "function", "function": {"name": "get_current_weather", "arguments": {"location": "Rome"}}},
        ]},
    ], True, dated))

    llama2 = basic_cases(LLAMA2, llama2_tokens, True)
    mistral = [c for c in basic_cases(MISTRAL, llama2_tokens, True) if not c["messages"][0]["role"] == "system"]
    mistral.append(case("system_role_rejected", MISTRAL, BASIC[1][1], True, llama2_tokens))

    fixtures = {
        "qwen2.5-instruct.json": fixture("Qwen/Qwen2.5-7B-Instruct", QWEN25, qwen_tokens, qwen),
        "qwen3.json": fixture("Qwen/Qwen3-8B", QWEN3, qwen3_tokens, qwen3),
        "llama-3-instruct.json": fixture("meta-llama/Meta-Llama-3-8B-Instruct", LLAMA3, llama3_tokens, llama3),
        "llama-3.1-instruct.json": fixture("meta-llama/Llama-3.1-8B-Instruct", LLAMA31, dated, llama31),
        "llama-2-chat.json": fixture("meta-llama/Llama-2-7b-chat-hf", LLAMA2, llama2_tokens, llama2),
        "mistral-instruct.json": fixture("mistralai/Mistral-7B-Instruct-v0.2", MISTRAL, llama2_tokens, mistral),
    }
    for file_name, content in fixtures.items():
        with open(os.path.join(out, file_name), "w", encoding="utf-8", newline="\n") as handle:
            json.dump(content, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        errors = sum(1 for c in content["cases"] if "error" in c)
        print(f"{file_name}: {len(content['cases'])} cases ({errors} expected errors)")


if __name__ == "__main__":
    main()
