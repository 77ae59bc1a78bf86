---
"@otpkit/provider-__id__": minor
---

First release of `@otpkit/provider-__id__`: `create__Name__Provider` sends OTP SMS through __Name__, maps
its errors to `OtpError` codes, parses its delivery reports, and registers as `__name__Plugin` for
configuration (`OTPKIT_PROVIDER=__id__`, `__ID___API_KEY`, ...); `@otpkit/provider-__id__/testing` ships
an msw emulator of the API.
