/** tsyringe token of the providers list (`OtpProvider[]`, in failover order). */
export const OTP_PROVIDERS = '@otpkit/core:providers' as const;
/** tsyringe token of the dispatcher options without `providers` (`Omit<DispatcherOptions, 'providers'>`). */
export const OTP_DISPATCHER_OPTIONS = '@otpkit/core:dispatcher-options' as const;
