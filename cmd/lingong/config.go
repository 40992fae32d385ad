package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"lingong/domain"
	"lingong/store"
)

// Config is the whole configuration of the service: read once from the environment, validated, logged
// (secrets masked) and passed to constructors. Nothing reads the environment anywhere else.
type Config struct {
	Env           string // LINGONG_ENV: development (default) or production
	Addr          string // LINGONG_ADDR: listen address, default :8080
	DataDir       string // LINGONG_DATA_DIR: SQLite file and development key, default ./data
	DatabaseURL   string // DATABASE_URL: unset = embedded SQLite; postgres://… = PostgreSQL
	PublicURL     string // LINGONG_PUBLIC_URL: base of links in QR codes and SMS, default http://localhost:8080
	SecretKey     string // LINGONG_SECRET_KEY: ≥ 32 characters; unset in development = key file in the data dir
	AdminPassword string // LINGONG_ADMIN_PASSWORD: initial admin password on an empty database
	MetricsToken  string // LINGONG_METRICS_TOKEN: ≥ 16 characters; /metrics needs "Authorization: Bearer <it>" (unset: open in development, 404 in production)
	Demo          bool   // LINGONG_DEMO=1: also load a demo market
	LogFormat     string // LINGONG_LOG_FORMAT: text (development default) or json (production default)
	LogLevel      slog.Level

	RequestTimeout  time.Duration // LINGONG_REQUEST_TIMEOUT: per-request bound, default 15s
	ShutdownTimeout time.Duration // LINGONG_SHUTDOWN_TIMEOUT: in-flight requests get this long, default 20s

	// SMS code limits (issue 3): a load test, or a station whose phones share one IP, raises them.
	OTPPhoneInterval time.Duration // LINGONG_OTP_PHONE_INTERVAL: min gap between codes to one phone, default 60s (0s = none)
	OTPPhonePerHour  int           // LINGONG_OTP_PHONE_PER_HOUR: codes per phone per hour, default 5
	OTPIPPerHour     int           // LINGONG_OTP_IP_PER_HOUR: codes requested per client IP per hour, default 60
	InvitesPerDay    int           // LINGONG_INVITES_PER_DAY: invitations per employer in any 24 hours, default 30
	// Attendance (issue 21): a shared location farther than AttendanceRadiusM from the site is flagged;
	// a phone that was offline may submit its own time up to AttendanceOfflineWindow later (flagged).
	AttendanceRadiusM       int           // LINGONG_ATTENDANCE_RADIUS_M: metres, default 500
	AttendanceOfflineWindow time.Duration // LINGONG_ATTENDANCE_OFFLINE_WINDOW: default 12h
	AttendanceConfirmWindow time.Duration // LINGONG_ATTENDANCE_CONFIRM_WINDOW: the employer's window on a day's line, default 24h
	CancelNotice            time.Duration // LINGONG_CANCEL_NOTICE: a cancellation or withdrawal less than this before the start is late, default 24h
	NoShowGrace             time.Duration // LINGONG_NOSHOW_GRACE: after the day's start a worker without a check-in is absent, default 60m
	// TrustedProxies (LINGONG_TRUSTED_PROXIES, comma-separated IPs or CIDRs) are the reverse proxies whose
	// X-Forwarded-For gives the client IP; default none (the connection's address is the client's).
	TrustedProxies []string

	// Wage (LINGONG_MIN_WAGE, "沙坡头区=2050/20,中宁县=2050/20,海原县=1900/18": 元/月 and 元/小时 per
	// district) is the local minimum wage; a gig paying less waits for review with both figures shown.
	Wage           domain.WageStandard
	ExpiryInterval time.Duration // LINGONG_EXPIRY_INTERVAL: how often gigs past their end date are expired, default 1m
	IdempotencyTTL time.Duration // LINGONG_IDEMPOTENCY_TTL: how long Idempotency-Keys are kept (≥ 24h), default 24h

	// 精准推送 (issue 5): an approved gig is pushed to its best PushFactor × remaining places workers
	// (at most PushMax), never more than PushDailyLimit pushes to one worker a day.
	PushFactor     int // LINGONG_PUSH_FACTOR: 0–20, default 3; 0 turns pushing off
	PushMax        int // LINGONG_PUSH_MAX: cap on workers per gig, 1–1000, default 200
	PushDailyLimit int // LINGONG_PUSH_DAILY_LIMIT: pushes per worker per day, 1–50, default 3
	// Settlement (issue 7): how often earned-but-unpaid wages are checked against their due dates, how
	// many days past due they may be before an arrears alert (欠薪预警) is raised, and how many days past
	// due an open alert holds back the approval of the employer's new gigs (-1 = never; "off").
	ArrearsSweepInterval time.Duration // LINGONG_ARREARS_SWEEP_INTERVAL: default 10m
	// EvidenceSweepInterval is how often the whole evidence is verified (LINGONG_EVIDENCE_SWEEP_INTERVAL,
	// default 24h): the daily sweep of `lingong audit verify`.
	EvidenceSweepInterval time.Duration
	ArrearsGraceDays      int // LINGONG_ARREARS_GRACE_DAYS: default 0 (daily pay is late the next day)
	ArrearsBlockDays      int // LINGONG_ARREARS_BLOCK_DAYS: default 3; "off" disables the hold
	// ClockOffset (LINGONG_DEV_CLOCK_OFFSET, development only) moves the service's clock forward, e.g.
	// 48h, to show due dates passing in a demo or an end-to-end test; refused in production.
	ClockOffset time.Duration
	// BackupDir (LINGONG_BACKUP_DIR) receives a daily backup of the embedded SQLite database, 7 daily and
	// 4 weekly copies kept; empty = no daily backup. Not for PostgreSQL (pg_dump, PITR: docs/operations.md).
	BackupDir string

	SMS SMSConfig // LINGONG_SMS_*: see smsconfig.go
	// Insurer (LINGONG_INSURER, LINGONG_INSURER_KEY, LINGONG_ROSTER_CUTOFF): see insurerconfig.go.
	Insurer InsurerConfig
}

// configError names the variable at fault, so a bad start says exactly what to fix.
type configError struct{ name, problem string }

func (e *configError) Error() string { return e.name + ": " + e.problem }

// loadConfig reads the configuration through getenv (os.Getenv in production, a map in tests) and
// validates it.
func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Env:             or(getenv("LINGONG_ENV"), "development"),
		Addr:            or(getenv("LINGONG_ADDR"), ":8080"),
		DataDir:         or(getenv("LINGONG_DATA_DIR"), "./data"),
		DatabaseURL:     strings.TrimSpace(getenv("DATABASE_URL")),
		PublicURL:       strings.TrimRight(or(getenv("LINGONG_PUBLIC_URL"), "http://localhost:8080"), "/"),
		SecretKey:       getenv("LINGONG_SECRET_KEY"),
		AdminPassword:   getenv("LINGONG_ADMIN_PASSWORD"),
		BackupDir:       strings.TrimSpace(getenv("LINGONG_BACKUP_DIR")),
		MetricsToken:    getenv("LINGONG_METRICS_TOKEN"),
		RequestTimeout:  15 * time.Second,
		ShutdownTimeout: 20 * time.Second,
		Wage:            domain.DefaultWageStandard(),
		ExpiryInterval:  time.Minute,
		IdempotencyTTL:  24 * time.Hour,
		PushFactor:      domain.DefaultPushRules.Factor,
		PushMax:         domain.DefaultPushRules.Max,
		PushDailyLimit:  domain.DefaultPushRules.DailyLimit,

		ArrearsSweepInterval:  10 * time.Minute,
		EvidenceSweepInterval: 24 * time.Hour,
		ArrearsBlockDays:      domain.DefaultArrearsBlockDays,
	}
	var err error
	if c.Demo, err = parseBool("LINGONG_DEMO", getenv("LINGONG_DEMO")); err != nil {
		return Config{}, err
	}
	if c.RequestTimeout, err = parseDuration("LINGONG_REQUEST_TIMEOUT", getenv("LINGONG_REQUEST_TIMEOUT"), c.RequestTimeout); err != nil {
		return Config{}, err
	}
	if c.ShutdownTimeout, err = parseDuration("LINGONG_SHUTDOWN_TIMEOUT", getenv("LINGONG_SHUTDOWN_TIMEOUT"), c.ShutdownTimeout); err != nil {
		return Config{}, err
	}
	if c.OTPPhoneInterval, err = parseDurationOrZero("LINGONG_OTP_PHONE_INTERVAL", getenv("LINGONG_OTP_PHONE_INTERVAL"), domain.DefaultOTPLimits.PhoneInterval); err != nil {
		return Config{}, err
	}
	if c.OTPPhonePerHour, err = parsePositiveInt("LINGONG_OTP_PHONE_PER_HOUR", getenv("LINGONG_OTP_PHONE_PER_HOUR"), domain.DefaultOTPLimits.PhonePerHour); err != nil {
		return Config{}, err
	}
	if c.OTPIPPerHour, err = parsePositiveInt("LINGONG_OTP_IP_PER_HOUR", getenv("LINGONG_OTP_IP_PER_HOUR"), domain.DefaultOTPLimits.IPPerHour); err != nil {
		return Config{}, err
	}
	if c.InvitesPerDay, err = parsePositiveInt("LINGONG_INVITES_PER_DAY", getenv("LINGONG_INVITES_PER_DAY"), domain.DefaultInviteLimit.PerDay); err != nil {
		return Config{}, err
	}
	if c.AttendanceRadiusM, err = parsePositiveInt("LINGONG_ATTENDANCE_RADIUS_M", getenv("LINGONG_ATTENDANCE_RADIUS_M"), domain.DefaultAttendanceRules.RadiusM); err != nil {
		return Config{}, err
	}
	if c.AttendanceOfflineWindow, err = parseDuration("LINGONG_ATTENDANCE_OFFLINE_WINDOW", getenv("LINGONG_ATTENDANCE_OFFLINE_WINDOW"), domain.DefaultAttendanceRules.OfflineWindow); err != nil {
		return Config{}, err
	}
	if c.AttendanceConfirmWindow, err = parseDuration("LINGONG_ATTENDANCE_CONFIRM_WINDOW", getenv("LINGONG_ATTENDANCE_CONFIRM_WINDOW"), domain.DefaultAttendanceRules.ConfirmWindow); err != nil {
		return Config{}, err
	}
	if c.NoShowGrace, err = parseDuration("LINGONG_NOSHOW_GRACE", getenv("LINGONG_NOSHOW_GRACE"), domain.DefaultNoShowGrace); err != nil {
		return Config{}, err
	}
	if c.CancelNotice, err = parseDuration("LINGONG_CANCEL_NOTICE", getenv("LINGONG_CANCEL_NOTICE"), domain.DefaultCancelNotice); err != nil {
		return Config{}, err
	}
	if c.CancelNotice < time.Hour || c.CancelNotice > 7*24*time.Hour {
		return Config{}, &configError{"LINGONG_CANCEL_NOTICE", "must be between 1h and 168h"}
	}
	if c.NoShowGrace < time.Minute || c.NoShowGrace > 12*time.Hour {
		return Config{}, &configError{"LINGONG_NOSHOW_GRACE", "must be between 1m and 12h"}
	}
	if c.AttendanceConfirmWindow < time.Minute {
		return Config{}, &configError{"LINGONG_ATTENDANCE_CONFIRM_WINDOW", "must be at least 1m"}
	}
	if c.AttendanceOfflineWindow < time.Minute || c.AttendanceOfflineWindow > 72*time.Hour {
		return Config{}, &configError{"LINGONG_ATTENDANCE_OFFLINE_WINDOW", "must be between 1m and 72h"}
	}
	for _, p := range strings.Split(getenv("LINGONG_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.ExpiryInterval, err = parseDuration("LINGONG_EXPIRY_INTERVAL", getenv("LINGONG_EXPIRY_INTERVAL"), c.ExpiryInterval); err != nil {
		return Config{}, err
	}
	if c.IdempotencyTTL, err = parseDuration("LINGONG_IDEMPOTENCY_TTL", getenv("LINGONG_IDEMPOTENCY_TTL"), c.IdempotencyTTL); err != nil {
		return Config{}, err
	}
	for _, v := range []struct {
		name string
		dst  *int
	}{{"LINGONG_PUSH_FACTOR", &c.PushFactor}, {"LINGONG_PUSH_MAX", &c.PushMax}, {"LINGONG_PUSH_DAILY_LIMIT", &c.PushDailyLimit}} {
		if raw := strings.TrimSpace(getenv(v.name)); raw != "" {
			if *v.dst, err = strconv.Atoi(raw); err != nil {
				return Config{}, &configError{v.name, fmt.Sprintf("%q is not a whole number", raw)}
			}
		}
	}
	if c.ArrearsSweepInterval, err = parseDuration("LINGONG_ARREARS_SWEEP_INTERVAL", getenv("LINGONG_ARREARS_SWEEP_INTERVAL"), c.ArrearsSweepInterval); err != nil {
		return Config{}, err
	}
	if c.EvidenceSweepInterval, err = parseDuration("LINGONG_EVIDENCE_SWEEP_INTERVAL", getenv("LINGONG_EVIDENCE_SWEEP_INTERVAL"), c.EvidenceSweepInterval); err != nil {
		return Config{}, err
	}
	if v := strings.TrimSpace(getenv("LINGONG_ARREARS_GRACE_DAYS")); v != "" {
		if c.ArrearsGraceDays, err = strconv.Atoi(v); err != nil {
			return Config{}, &configError{"LINGONG_ARREARS_GRACE_DAYS", fmt.Sprintf("%q is not a whole number of days", v)}
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("LINGONG_ARREARS_BLOCK_DAYS"))); v {
	case "":
	case "off":
		c.ArrearsBlockDays = -1
	default:
		if c.ArrearsBlockDays, err = strconv.Atoi(v); err != nil {
			return Config{}, &configError{"LINGONG_ARREARS_BLOCK_DAYS", fmt.Sprintf("%q is not a whole number of days (or off)", v)}
		}
	}
	if v := strings.TrimSpace(getenv("LINGONG_DEV_CLOCK_OFFSET")); v != "" {
		if c.ClockOffset, err = time.ParseDuration(v); err != nil {
			return Config{}, &configError{"LINGONG_DEV_CLOCK_OFFSET", fmt.Sprintf("%q is not a duration such as 48h", v)}
		}
	}
	if v := strings.TrimSpace(getenv("LINGONG_MIN_WAGE")); v != "" {
		if c.Wage, err = domain.ParseWageStandard(v); err != nil {
			return Config{}, &configError{"LINGONG_MIN_WAGE", err.Error() + ` (e.g. "沙坡头区=2050/20,中宁县=2050/20,海原县=1900/18")`}
		}
	}
	defaultFormat := "text"
	if c.Env == "production" {
		defaultFormat = "json"
	}
	c.LogFormat = or(getenv("LINGONG_LOG_FORMAT"), defaultFormat)
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LINGONG_LOG_LEVEL"), "info"))); err != nil {
		return Config{}, &configError{"LINGONG_LOG_LEVEL", "must be debug, info, warn or error"}
	}
	if c.Insurer, err = loadInsurerConfig(getenv, c.DataDir); err != nil {
		return Config{}, err
	}
	// The roster carries full resident ID numbers: in production it travels only over TLS (plain http://
	// is for a test insurer on the same machine).
	if c.Env == "production" && c.Insurer.Driver == "http" && !strings.HasPrefix(c.Insurer.URL, "https://") {
		return Config{}, &configError{"LINGONG_INSURER", "must be an https:// URL when LINGONG_ENV=production: the roster carries ID numbers"}
	}
	if c.SMS, err = loadSMSConfig(getenv); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// Validate checks every value; the first problem is returned, naming its variable.
func (c Config) Validate() error {
	if c.Env != "development" && c.Env != "production" {
		return &configError{"LINGONG_ENV", fmt.Sprintf("%q is not development or production", c.Env)}
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return &configError{"LINGONG_ADDR", fmt.Sprintf("%q is not host:port (e.g. :8080 or 127.0.0.1:8080)", c.Addr)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return &configError{"LINGONG_ADDR", fmt.Sprintf("port %q is not a number from 0 to 65535", port)}
	}
	if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, " /:") {
		return &configError{"LINGONG_ADDR", fmt.Sprintf("host %q is not valid", host)}
	}
	if _, _, err := store.ParseDatabaseURL(c.DatabaseURL, c.DataDir); err != nil {
		return &configError{"DATABASE_URL", strings.TrimPrefix(err.Error(), "DATABASE_URL ")}
	}
	u, err := url.Parse(c.PublicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return &configError{"LINGONG_PUBLIC_URL", fmt.Sprintf("%q is not an absolute http(s) URL", c.PublicURL)}
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		return &configError{"LINGONG_SECRET_KEY", "must be at least 32 characters (e.g. openssl rand -hex 32)"}
	}
	if c.Env == "production" && c.SecretKey == "" {
		return &configError{"LINGONG_SECRET_KEY", "is required when LINGONG_ENV=production"}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return &configError{"LINGONG_METRICS_TOKEN", "must be at least 16 characters"}
	}
	if c.AdminPassword != "" && len(c.AdminPassword) < 10 {
		return &configError{"LINGONG_ADMIN_PASSWORD", "must be at least 10 characters"}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return &configError{"LINGONG_LOG_FORMAT", "must be text or json"}
	}
	if c.DataDir == "" {
		return &configError{"LINGONG_DATA_DIR", "must not be empty"}
	}
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return &configError{"LINGONG_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR (e.g. 10.0.0.0/8)", p)}
			}
		}
	}
	if c.ExpiryInterval < time.Second || c.ExpiryInterval > 24*time.Hour {
		return &configError{"LINGONG_EXPIRY_INTERVAL", "must be between 1s and 24h"}
	}
	if c.IdempotencyTTL < 24*time.Hour {
		return &configError{"LINGONG_IDEMPOTENCY_TTL", "must be at least 24h (clients retry for a day)"}
	}
	if c.PushFactor < 0 || c.PushFactor > 20 {
		return &configError{"LINGONG_PUSH_FACTOR", "must be between 0 (no pushes) and 20 (workers per remaining place)"}
	}
	if c.PushMax < 1 || c.PushMax > 1000 {
		return &configError{"LINGONG_PUSH_MAX", "must be between 1 and 1000 workers per gig"}
	}
	if c.PushDailyLimit < 1 || c.PushDailyLimit > 50 {
		return &configError{"LINGONG_PUSH_DAILY_LIMIT", "must be between 1 and 50 pushes per worker per day"}
	}
	if c.ArrearsSweepInterval < time.Second || c.ArrearsSweepInterval > 24*time.Hour {
		return &configError{"LINGONG_ARREARS_SWEEP_INTERVAL", "must be between 1s and 24h"}
	}
	if c.EvidenceSweepInterval < time.Second || c.EvidenceSweepInterval > 7*24*time.Hour {
		return &configError{"LINGONG_EVIDENCE_SWEEP_INTERVAL", "must be between 1s and 168h"}
	}
	if c.ArrearsGraceDays < 0 || c.ArrearsGraceDays > 60 {
		return &configError{"LINGONG_ARREARS_GRACE_DAYS", "must be between 0 and 60 days"}
	}
	if c.ArrearsBlockDays != -1 && (c.ArrearsBlockDays < 1 || c.ArrearsBlockDays > 365) {
		return &configError{"LINGONG_ARREARS_BLOCK_DAYS", "must be between 1 and 365 days, or off"}
	}
	if c.ClockOffset != 0 && c.Env == "production" {
		return &configError{"LINGONG_DEV_CLOCK_OFFSET", "is for development and tests only; unset it in production"}
	}
	if c.ClockOffset < 0 || c.ClockOffset > 366*24*time.Hour {
		return &configError{"LINGONG_DEV_CLOCK_OFFSET", "must be between 0 and 8784h (forward only)"}
	}
	if c.BackupDir != "" {
		if dialect, _, _ := store.ParseDatabaseURL(c.DatabaseURL, c.DataDir); dialect != "sqlite" {
			return &configError{"LINGONG_BACKUP_DIR", "backs up the embedded SQLite database only; back PostgreSQL up with pg_dump or PITR (docs/operations.md)"}
		}
	}
	return nil
}

// PushRules are the push rules for the api.
func (c Config) PushRules() domain.PushRules {
	return domain.PushRules{Factor: c.PushFactor, Max: c.PushMax, DailyLimit: c.PushDailyLimit}
}

// Clock is the service's clock: the system clock, moved forward by ClockOffset in development.
func (c Config) Clock() domain.Clock {
	if c.ClockOffset == 0 {
		return nil // domain.Clock's zero value is time.Now
	}
	offset := c.ClockOffset
	return func() time.Time { return time.Now().Add(offset) }
}

// OTPLimits are the SMS code limits for the api.
func (c Config) OTPLimits() domain.OTPLimits {
	return domain.OTPLimits{PhoneInterval: c.OTPPhoneInterval, PhonePerHour: c.OTPPhonePerHour, IPPerHour: c.OTPIPPerHour}
}

// LogValue is how the configuration appears in the start-up log: secrets masked, the database URL
// without its password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("addr", c.Addr),
		slog.String("data_dir", c.DataDir),
		slog.String("database", redactURL(c.DatabaseURL)),
		slog.String("public_url", c.PublicURL),
		slog.String("secret_key", maskSecret(c.SecretKey, "(development key file)")),
		slog.String("admin_password", maskSecret(c.AdminPassword, "(random if admin is new)")),
		slog.String("metrics_token", maskSecret(c.MetricsToken, "(none)")),
		slog.Bool("demo", c.Demo),
		slog.String("log_format", c.LogFormat),
		slog.String("request_timeout", c.RequestTimeout.String()),
		slog.String("shutdown_timeout", c.ShutdownTimeout.String()),
		slog.String("otp_phone_interval", c.OTPPhoneInterval.String()),
		slog.Int("otp_phone_per_hour", c.OTPPhonePerHour),
		slog.Int("otp_ip_per_hour", c.OTPIPPerHour),
		slog.String("trusted_proxies", strings.Join(c.TrustedProxies, ",")),
		slog.String("min_wage", c.Wage.String()),
		slog.String("expiry_interval", c.ExpiryInterval.String()),
		slog.String("idempotency_ttl", c.IdempotencyTTL.String()),
		slog.Int("push_factor", c.PushFactor),
		slog.Int("push_max", c.PushMax),
		slog.Int("push_daily_limit", c.PushDailyLimit),
		slog.String("arrears_sweep_interval", c.ArrearsSweepInterval.String()),
		slog.String("evidence_sweep_interval", c.EvidenceSweepInterval.String()),
		slog.Int("arrears_grace_days", c.ArrearsGraceDays),
		slog.Int("arrears_block_days", c.ArrearsBlockDays),
		slog.String("dev_clock_offset", c.ClockOffset.String()),
		slog.String("backup_dir", c.BackupDir),
		slog.Any("insurer", c.Insurer),
		slog.String("sms_driver", c.SMS.Driver),
		slog.String("sms_fallback", c.SMS.Fallback),
		slog.String("sms_sign_name", c.SMS.SignName),
		slog.String("sms_callback_token", maskSecret(c.SMS.CallbackToken, "(callbacks off)")),
		slog.String("sms_reply_window", c.SMS.ReplyWindow.String()),
		slog.Float64("sms_rate", c.SMS.PerSecond),
		slog.Int("sms_phone_per_hour", c.SMS.PhonePerHour),
	)
}

func maskSecret(s, unset string) string {
	if s == "" {
		return unset
	}
	return "******"
}

func redactURL(raw string) string {
	if raw == "" {
		return "(embedded SQLite)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// secretKey returns the key material: LINGONG_SECRET_KEY, or in development a random key generated once
// into DataDir/secret.key (mode 0600) and reused on every later start.
func (c Config) secretKey() ([]byte, error) {
	if c.SecretKey != "" {
		return []byte(c.SecretKey), nil
	}
	path := filepath.Join(c.DataDir, "secret.key")
	data, err := os.ReadFile(path)
	if err == nil {
		key := strings.TrimSpace(string(data))
		if len(key) < 32 {
			return nil, fmt.Errorf("%s is shorter than 32 characters; delete it only if no ID numbers were stored with it", path)
		}
		return []byte(key), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create %s: %w", c.DataDir, err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	key := hex.EncodeToString(b)
	// Write a temporary file, then hard-link it into place: the link fails if the key already exists,
	// so when two processes start at once both end up with the one key that won, never a half-written one.
	tmp, err := os.CreateTemp(c.DataDir, ".secret-*.key")
	if err != nil {
		return nil, fmt.Errorf("create key file in %s: %w", c.DataDir, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.WriteString(key + "\n"); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return c.secretKey()
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return []byte(key), nil
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, &configError{name, fmt.Sprintf("%q is not 1 or 0", v)}
}

// parseDurationOrZero is parseDuration that also accepts 0 (a limit switched off).
func parseDurationOrZero(name, v string, def time.Duration) (time.Duration, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 {
		return 0, &configError{name, fmt.Sprintf("%q is not a duration such as 60s (0s switches it off)", v)}
	}
	return d, nil
}

func parsePositiveInt(name, v string, def int) (int, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 {
		return 0, &configError{name, fmt.Sprintf("%q is not a whole number of at least 1", v)}
	}
	return n, nil
}

func parseDuration(name, v string, def time.Duration) (time.Duration, error) {
	if strings.TrimSpace(v) == "" {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		return 0, &configError{name, fmt.Sprintf("%q is not a positive duration such as 15s", v)}
	}
	return d, nil
}

// InviteLimit is how many invitations an employer may send (LINGONG_INVITES_PER_DAY).
func (c Config) InviteLimit() domain.InviteLimit { return domain.InviteLimit{PerDay: c.InvitesPerDay} }

// AttendanceRules are the radius and offline window of check-ins (LINGONG_ATTENDANCE_*).
func (c Config) AttendanceRules() domain.AttendanceRules {
	return domain.AttendanceRules{RadiusM: c.AttendanceRadiusM, OfflineWindow: c.AttendanceOfflineWindow, ConfirmWindow: c.AttendanceConfirmWindow,
		NoShowGrace: c.NoShowGrace, CancelNotice: c.CancelNotice}
}
