package sms

import "testing"

// The worked example of Alibaba Cloud's "V3版本请求体&签名机制" (RunInstances on ECS, keys
// YourAccessKeyId / YourAccessKeySecret): our canonical request must hash to the documented value and
// the Authorization must be the documented one.
func TestACS3MatchesAlibabaCloudExample(t *testing.T) {
	payloadHash := sha256Hex(nil)
	headers := map[string]string{
		"host": "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances", "x-acs-version": "2014-05-26",
		"x-acs-date": "2023-10-26T10:22:32Z", "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
		"x-acs-content-sha256": payloadHash,
	}
	query := canonicalQuery(map[string]string{"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"})
	auth, canonical := ACS3Authorization("POST", "/", query, headers, payloadHash, "YourAccessKeyId", "YourAccessKeySecret")
	if got, want := sha256Hex([]byte(canonical)), "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"; got != want {
		t.Errorf("hashed canonical request = %s, want %s\n%s", got, want, canonical)
	}
	want := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;" +
		"x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	if auth != want {
		t.Errorf("Authorization\n got %s\nwant %s", auth, want)
	}
}

// The worked example of Tencent Cloud's "签名方法 v3" (DescribeInstances on CVM at 1551113065, the
// documentation's masked keys as given): the hashed payload, canonical request and signature must be
// the documented ones.
func TestTC3MatchesTencentCloudExample(t *testing.T) {
	payload := []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`)
	if got, want := sha256Hex(payload), "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"; got != want {
		t.Fatalf("hashed payload = %s, want %s", got, want)
	}
	auth, canonical := TC3Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******", "cvm",
		"cvm.tencentcloudapi.com", "application/json; charset=utf-8", payload, 1551113065)
	if got, want := sha256Hex([]byte(canonical)), "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"; got != want {
		t.Errorf("hashed canonical request = %s, want %s\n%s", got, want, canonical)
	}
	want := "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, " +
		"SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
	if auth != want {
		t.Errorf("Authorization\n got %s\nwant %s", auth, want)
	}
}

// Alibaba Cloud's percent-encoding: RFC 3986, space as %20, * encoded, ~ kept, Chinese as UTF-8.
func TestCanonicalQueryEncoding(t *testing.T) {
	got := canonicalQuery(map[string]string{"TemplateParam": `{"code":"12 34"}`, "SignName": "中卫~零工*", "PhoneNumbers": "13800138000"})
	want := "PhoneNumbers=13800138000&SignName=%E4%B8%AD%E5%8D%AB~%E9%9B%B6%E5%B7%A5%2A&TemplateParam=%7B%22code%22%3A%2212%2034%22%7D"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
