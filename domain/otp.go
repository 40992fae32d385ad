package domain

import "time"

// SMS one-time codes (OTP) prove that a person holds a phone: they register or log a worker in, and later
// confirm signatures. The rules below are fixed, not configuration: they are what makes a 6-digit code
// safe (at most 5 guesses out of a million per code, for 5 minutes).
const (
	OTPDigits      = 6
	OTPTTL         = 5 * time.Minute
	OTPMaxAttempts = 5
)

// OTP purposes: a code proves one thing only. OTPLogin registers or logs in a worker; OTPConfirm is
// what a logged-in worker types to sign a contract or to confirm or dispute a ledger line.
const (
	OTPLogin   = "login"
	OTPConfirm = "confirm"
)

// OTPLimits bound how often codes are sent. They are configuration (LINGONG_OTP_*): a load test, or a
// station whose phones all reach us through one shared IP address, raises them.
type OTPLimits struct {
	PhoneInterval time.Duration // at most one code per phone in this interval (0 = no interval)
	PhonePerHour  int           // at most this many codes per phone in any rolling hour
	IPPerHour     int           // at most this many codes requested from one client IP in any rolling hour
}

// DefaultOTPLimits are the limits of issue 3: one send per phone per 60 s, five per phone per hour,
// and 60 per IP address per hour (a busy station's morning behind one address).
var DefaultOTPLimits = OTPLimits{PhoneInterval: 60 * time.Second, PhonePerHour: 5, IPPerHour: 60}

// OTPCode is a code just issued. Code is in clear only here, on its way to the SMS sender; the
// database keeps its HMAC.
type OTPCode struct {
	ID        int64
	Phone     string
	Code      string
	ExpiresAt time.Time
}
